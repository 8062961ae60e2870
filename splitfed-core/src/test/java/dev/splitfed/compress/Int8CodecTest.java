package dev.splitfed.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class Int8CodecTest {

    private static final Codec INT8 = Codec.parse("int8");

    @Test
    void halfStepsFromZeroTo127Point5DecodeExactlyWithTheDocumentedLayout() {
        float[] values = new float[256];
        for (int i = 0; i < 256; i++) {
            values[i] = i * 0.5f;
        }

        byte[] payload = INT8.encode(values);

        // min 0.0f, scale 127.5 / 255 = 0.5f (0x3F000000 little-endian), then q = 0..255.
        byte[] expected = new byte[8 + 256];
        expected[7] = 0x3F;
        for (int i = 0; i < 256; i++) {
            expected[8 + i] = (byte) i;
        }
        assertThat(payload).isEqualTo(expected);
        assertThat(INT8.decode(payload, 256)).isEqualTo(values);
    }

    @Test
    void constantBlocksHaveScaleZeroAndDecodeExactly() {
        float[] values = new float[3000];
        Arrays.fill(values, 7.25f);

        ByteBuffer payload = ByteBuffer.wrap(INT8.encode(values)).order(ByteOrder.LITTLE_ENDIAN);

        assertThat(payload.capacity()).isEqualTo(3000 + 2 * 8);
        assertThat(payload.getFloat(0)).isEqualTo(7.25f);
        assertThat(payload.getFloat(4)).isZero();
        assertThat(payload.getFloat(8 + 2048)).isEqualTo(7.25f);
        assertThat(payload.getFloat(8 + 2048 + 4)).isZero();
        assertThat(INT8.decode(payload.array(), 3000)).isEqualTo(values);
    }

    @Test
    void eachBlockHasItsOwnMinAndScale() {
        float[] values = new float[2049];
        values[0] = -1;
        values[2047] = 254;
        values[2048] = 42;

        ByteBuffer payload = ByteBuffer.wrap(INT8.encode(values)).order(ByteOrder.LITTLE_ENDIAN);

        assertThat(payload.getFloat(0)).isEqualTo(-1f);
        assertThat(payload.getFloat(4)).isEqualTo(1f);
        assertThat(payload.get(8) & 0xFF).isZero();
        assertThat(payload.get(9) & 0xFF).isEqualTo(1);
        assertThat(payload.get(8 + 2047) & 0xFF).isEqualTo(255);
        assertThat(payload.getFloat(8 + 2048)).isEqualTo(42f);
        assertThat(payload.getFloat(8 + 2048 + 4)).isZero();
        assertThat(INT8.decode(payload.array(), 2049)).isEqualTo(values);
    }

    @Test
    void payloadIsOneBytePerValueAndEightPerBlockOf2048() {
        int[][] sizes = {{0, 0}, {1, 9}, {2, 10}, {2047, 2055}, {2048, 2056}, {2049, 2065}, {4096, 4112},
            {64 * 1176, 75_560}};
        for (int[] size : sizes) {
            assertThat(INT8.encodedBytes(size[0])).as("bytes for %d values", size[0]).isEqualTo(size[1]);
            assertThat(INT8.encode(new float[size[0]])).hasSize(size[1]);
        }
    }

    @Test
    void cutsAnActivationBatchToUnderOneThreePointNinthOfFloat32() {
        // 64 samples of a 1176-wide cut layer, ReLU-like: about half zeros, the rest positive.
        Random random = new Random(7);
        float[] activations = new float[64 * 1176];
        for (int i = 0; i < activations.length; i++) {
            activations[i] = (float) Math.max(0, random.nextGaussian());
        }

        byte[] payload = INT8.encode(activations);

        assertThat(payload).hasSize(75_560);
        assertThat(payload.length * 3.9).isLessThanOrEqualTo(4.0 * activations.length);
    }

    /**
     * Checks {@code |v - v'| <= scale / 2 * (1 + 1e-5) + 2^-142 + ulp(v')} with {@code scale} as
     * stored in each block's header.
     *
     * <p>Why this holds: the level is {@code q = round(t)} with {@code t} the double quotient
     * {@code (v - min) / scale}, within {@code 2^-44} of exact, so {@code min + q * scale} is within
     * {@code scale * (1/2 + 2^-44)} of {@code v} when {@code q} is not clamped. It is clamped to 255
     * only when rounding made {@code scale} smaller than {@code (max - min) / 255}: by at most
     * {@code 2^-23} relative for a normal scale (one rounding, one {@code nextDown}), so the top level
     * misses {@code max} by {@code 255 * 2^-23 * scale}, far less than {@code scale / 2}; by at most
     * {@code 2^-150} absolute for a subnormal scale, so by at most {@code 255 * 2^-150 < 2^-142}.
     * Decoding rounds {@code min + q * scale} once in double and once to float32, together less
     * than {@code ulp(v')}.
     */
    @Property(tries = 300)
    void everyValueDecodesWithinHalfAStepOfItsBlock(@ForAll("blocks") float[] values) {
        byte[] bytes = INT8.encode(values);
        float[] decoded = INT8.decode(bytes, values.length);
        ByteBuffer payload = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);

        for (int i = 0; i < values.length; i++) {
            int block = i / 2048;
            float scale = payload.getFloat(block * (2048 + 8) + 4);
            double bound = scale / 2.0 * (1 + 1e-5) + 0x1p-142 + Math.ulp(decoded[i]);
            assertThat(Math.abs((double) values[i] - decoded[i]))
                    .as("error at %d of %s (scale %s)", i, values[i], scale)
                    .isLessThanOrEqualTo(bound);
        }
    }

    @Test
    void theWidestFloatRangeStaysFiniteAndWithinHalfAStep() {
        // This min with max = Float.MAX_VALUE rounds the scale up far enough that the top level
        // would overflow to infinity; the encoder steps the scale down instead.
        float min = Float.intBitsToFloat(0xF37F2134);
        float[][] cases = {{min, Float.MAX_VALUE}, {-Float.MAX_VALUE, Float.MAX_VALUE, 0, 1}, {0, Float.MAX_VALUE}};
        for (float[] values : cases) {
            byte[] bytes = INT8.encode(values);
            float scale = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getFloat(4);

            float[] decoded = INT8.decode(bytes, values.length);

            for (int i = 0; i < values.length; i++) {
                assertThat(decoded[i]).isFinite();
                assertThat(Math.abs((double) values[i] - decoded[i]))
                        .isLessThanOrEqualTo(scale / 2.0 * (1 + 1e-5) + Math.ulp(decoded[i]));
            }
        }
    }

    @Test
    void decodeRefusesAPayloadOfTheWrongLength() {
        assertThatThrownBy(() -> INT8.decode(new byte[2056], 2049))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("int8 payload for 2049 values must be 2065 bytes, got 2056");
    }

    @Test
    void decodeRefusesANonFiniteMinOrScaleAndANegativeScale() {
        float[][] headers = {{Float.NaN, 1}, {Float.NEGATIVE_INFINITY, 1}, {0, Float.POSITIVE_INFINITY},
            {0, Float.NaN}, {0, -1}};
        String[] messages = {"NaN and scale 1.0", "-Infinity and scale 1.0", "0.0 and scale Infinity",
            "0.0 and scale NaN", "0.0 and scale -1.0"};
        for (int i = 0; i < headers.length; i++) {
            byte[] payload = block(headers[i][0], headers[i][1], 0);

            assertThatThrownBy(() -> INT8.decode(payload, 1))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("int8 payload block starting at value 0 has min " + messages[i]
                            + ", expected a finite min and a finite scale >= 0");
        }
    }

    @Test
    void decodeRefusesALevelThatOverflowsToInfinity() {
        byte[] payload = block(Float.MAX_VALUE, Float.MAX_VALUE / 255, 0, 255);

        assertThatThrownBy(() -> INT8.decode(payload, 2))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("int8 payload decodes value 1 to Infinity (min 3.4028235E38 + 255 * scale 1.3344406E36),"
                        + " expected finite values");
    }

    private static byte[] block(float min, float scale, int... levels) {
        ByteBuffer b = ByteBuffer.allocate(8 + levels.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(min).putFloat(scale);
        for (int q : levels) {
            b.put((byte) q);
        }
        return b.array();
    }

    /**
     * Arrays of up to three blocks: any finite floats, huge ranges, mixed magnitudes, constant runs
     * and tiny (subnormal) ranges.
     */
    @Provide
    Arbitrary<float[]> blocks() {
        Arbitrary<Float> anyFinite = Arbitraries.integers().map(Float::intBitsToFloat).filter(Float::isFinite);
        Arbitrary<Float> huge = Arbitraries.floats().between(-1e30f, 1e30f);
        Arbitrary<Float> mixed = Combinators.combine(Arbitraries.floats().between(-1, 1), Arbitraries.integers()
                        .between(-40, 40))
                .as((m, e) -> Math.scalb(m, e));
        Arbitrary<Float> subnormal = Arbitraries.integers().between(-64, 64).map(i -> i * Float.MIN_VALUE);
        Arbitrary<float[]> varied = Arbitraries.oneOf(anyFinite, huge, mixed, subnormal)
                .array(float[].class)
                .ofMaxSize(3 * 2048);
        Arbitrary<float[]> constant = Combinators.combine(anyFinite, Arbitraries.integers().between(1, 5000))
                .as((v, n) -> {
                    float[] a = new float[n];
                    Arrays.fill(a, v);
                    return a;
                });
        return Arbitraries.oneOf(varied, constant);
    }
}
