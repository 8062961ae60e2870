package dev.splitfed.internal.compress;

import dev.splitfed.compress.Codec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ErrorFeedbackTest {

    /**
     * Checks that the decoded payloads plus the final residual add up to the updates.
     *
     * <p>In exact arithmetic each step moves {@code r + u} into {@code d + r'}, so the sum
     * telescopes. In float32 the two steps {@code c = r + u} and {@code r' = c - d} each round once,
     * by at most {@code 2^-24 |c|} and {@code 2^-24 |r'|}, so per coordinate the sums differ by at
     * most {@code 2^-24 * sum_t (|c_t| + |r_t|)}. The test sums in double, which adds well under
     * {@code 2^-40} of the magnitudes summed.
     */
    @Property(tries = 60)
    void decodedPayloadsPlusResidualAddUpToTheUpdates(
            @ForAll("lossy") String spec,
            @ForAll @IntRange(min = 1, max = 5000) int n,
            @ForAll @IntRange(min = 1, max = 20) int steps,
            @ForAll long seed) {
        Codec codec = Codec.parse(spec);
        ErrorFeedback feedback = new ErrorFeedback(codec);
        Random random = new Random(seed);
        double[] updates = new double[n];
        double[] decoded = new double[n];
        double[] tolerance = new double[n];
        double[] magnitudes = new double[n];
        float[] residual = new float[n];

        for (int t = 0; t < steps; t++) {
            float[] update = new float[n];
            for (int i = 0; i < n; i++) {
                update[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
            }
            float[] sent = codec.decode(feedback.encode(update), n);
            float[] next = feedback.residual();
            for (int i = 0; i < n; i++) {
                float corrected = residual[i] + update[i];
                tolerance[i] += 0x1p-24 * (Math.abs(corrected) + Math.abs(next[i]));
                magnitudes[i] += Math.abs(update[i]) + Math.abs(sent[i]);
                updates[i] += update[i];
                decoded[i] += sent[i];
            }
            residual = next;
        }

        for (int i = 0; i < n; i++) {
            assertThat(decoded[i] + residual[i])
                    .as("coordinate %d", i)
                    .isCloseTo(updates[i], within(tolerance[i] + 0x1p-40 * (magnitudes[i] + Math.abs(residual[i]))));
        }
    }

    @Test
    void aCoordinateTopKKeepsDroppingAccumulatesUntilItIsSent() {
        // k = 1 of 4: coordinate 0 brings 10 each step, coordinate 3 brings 1.
        ErrorFeedback feedback = new ErrorFeedback(Codec.parse("topk:0.25"));
        float[] update = {10, 0, 0, 1};

        for (int t = 1; t <= 10; t++) {
            ByteBuffer payload = ByteBuffer.wrap(feedback.encode(update)).order(ByteOrder.LITTLE_ENDIAN);

            // At t = 10 coordinate 3 ties with coordinate 0 at 10, and the lower index wins.
            assertThat(payload.getInt(0)).isZero();
            assertThat(payload.getFloat(4)).isEqualTo(10f);
            assertThat(feedback.residual()).containsExactly(0, 0, 0, t);
        }
        ByteBuffer payload = ByteBuffer.wrap(feedback.encode(update)).order(ByteOrder.LITTLE_ENDIAN);

        assertThat(payload.getInt(0)).isEqualTo(3);
        assertThat(payload.getFloat(4)).isEqualTo(11f);
        assertThat(feedback.residual()).containsExactly(10, 0, 0, 0);
    }

    @Test
    void int8RoundingErrorIsCarriedToTheNextStep() {
        // Block {0, 0.3, 1}: the step is 1/255 and 0.3 is 76.5 steps, a hair under in float32, so
        // the first step sends 76/255 and keeps 0.5/255; the second sends 0.3 + 0.5/255 as 77/255.
        // Together 153/255 = 0.6, exactly the two updates.
        ErrorFeedback feedback = new ErrorFeedback(Codec.parse("int8"));
        float[] update = {0, 0.3f, 1};

        byte[] first = feedback.encode(update);
        float[] residual = feedback.residual();
        byte[] second = feedback.encode(update);

        assertThat(first[9] & 0xFF).isEqualTo(76);
        assertThat(residual[1]).isCloseTo(0.5f / 255, within(1e-7f));
        assertThat(second[9] & 0xFF).isEqualTo(77);
        assertThat(feedback.residual()[1]).isCloseTo(0, within(1e-7f));
    }

    @Test
    void losslessCodecSendsTheUpdateAndKeepsAZeroResidual() {
        ErrorFeedback feedback = new ErrorFeedback(Codec.NONE);
        float[] update = {1.5f, -2, 1e-30f};

        assertThat(feedback.encode(update)).isEqualTo(Codec.NONE.encode(update));
        assertThat(feedback.encode(update)).isEqualTo(Codec.NONE.encode(update));
        assertThat(feedback.residual()).containsExactly(0, 0, 0);
    }

    @Test
    void aNewUpdateLengthRestartsTheResidualAtZero() {
        ErrorFeedback feedback = new ErrorFeedback(Codec.parse("topk:0.5"));
        assertThat(feedback.residual()).isEmpty();
        feedback.encode(new float[] {4, 1, 3, 2});
        assertThat(feedback.residual()).containsExactly(0, 1, 0, 2);

        byte[] payload = feedback.encode(new float[] {1, 5});

        assertThat(Codec.parse("topk:0.5").decode(payload, 2)).containsExactly(0, 5);
        assertThat(feedback.residual()).containsExactly(1, 0);
    }

    @Test
    void residualIsACopy() {
        ErrorFeedback feedback = new ErrorFeedback(Codec.parse("topk:0.5"));
        feedback.encode(new float[] {4, 1});

        feedback.residual()[1] = 100;

        assertThat(feedback.residual()).containsExactly(0, 1);
    }

    @Provide
    Arbitrary<String> lossy() {
        return Arbitraries.of("fp16", "int8", "topk:0.01", "topk:0.1", "topk:0.5");
    }
}
