package dev.splitfed.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Comparator;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TopKCodecTest {

    @Test
    void halfOfFourValuesKeepsTheTwoLargestMagnitudesWithExactBytes() {
        Codec topk = Codec.parse("topk:0.5");

        byte[] payload = topk.encode(new float[] {3, -1, 0.5f, -4});

        assertThat(payload).isEqualTo(new byte[] {
            0, 0, 0, 0, // index 0
            3, 0, 0, 0, // index 3
            0, 0, 0x40, 0x40, // 3.0f = 0x40400000
            0, 0, (byte) 0x80, (byte) 0xC0, // -4.0f = 0xC0800000
        });
        assertThat(topk.decode(payload, 4)).containsExactly(3, 0, 0, -4);
    }

    @Test
    void keepsTheCeilingOfRatioTimesNComputedExactly() {
        // {ratio, n, k}; in double, 0.3 * 10 and 0.07 * 100 land just above 3 and 7.
        String[][] cases = {{"0.1", "10", "1"}, {"0.3", "10", "3"}, {"0.07", "100", "7"}, {"0.001", "1", "1"},
            {"1", "5", "5"}, {"0.5", "0", "0"}, {"0.5", "1", "1"}, {"0.5", "3", "2"}, {"0.333", "3", "1"},
            {"0.01", "11000000", "110000"}, {"0.000001", "2147483647", "2148"}};
        for (String[] c : cases) {
            int n = Integer.parseInt(c[1]);
            int k = Integer.parseInt(c[2]);

            assertThat(Codec.parse("topk:" + c[0]).encodedBytes(n)).as("topk:%s of %d", c[0], n).isEqualTo(8 * k);
        }
    }

    @Property(tries = 300)
    void keepsTheLargestMagnitudesLowerIndicesFirstAndDropsTheRest(
            @ForAll("tieHeavy") float[] values, @ForAll @IntRange(min = 1, max = 1000) int permille) {
        Codec topk = Codec.parse("topk:" + BigDecimal.valueOf(permille, 3).toPlainString());
        int k = topk.encodedBytes(values.length) / 8;
        int[] expected = IntStream.range(0, values.length)
                .boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -Math.abs(values[i]))
                        .thenComparingInt(i -> i))
                .limit(k)
                .mapToInt(Integer::intValue)
                .sorted()
                .toArray();

        byte[] payload = topk.encode(values);
        float[] decoded = topk.decode(payload, values.length);

        int[] indices = new int[k];
        ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(indices);
        assertThat(indices).isEqualTo(expected);
        float[] kept = new float[values.length];
        for (int i : expected) {
            kept[i] = values[i];
        }
        assertThat(decoded).isEqualTo(kept);
    }

    @Test
    void equalMagnitudesKeepTheLowestIndices() {
        float[] values = new float[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 2 == 0 ? 1 : -1;
        }
        Codec topk = Codec.parse("topk:0.01");

        ByteBuffer payload = ByteBuffer.wrap(topk.encode(values)).order(ByteOrder.LITTLE_ENDIAN);

        int[] indices = new int[1000];
        payload.asIntBuffer().get(indices);
        assertThat(indices).isEqualTo(IntStream.range(0, 1000).toArray());
        assertThat(payload.getFloat(4000)).isEqualTo(1f);
        assertThat(payload.getFloat(4004)).isEqualTo(-1f);
    }

    @Test
    void ratioOneSendsEveryValueExactly() {
        Codec topk = Codec.parse("topk:1");
        float[] values = {0, -0f, Float.MIN_VALUE, -Float.MAX_VALUE, 1e-30f};

        byte[] payload = topk.encode(values);

        assertThat(payload).hasSize(40);
        assertThat(topk.decode(payload, 5)).isEqualTo(values);
    }

    @Test
    void decodeRefusesAPayloadOfTheWrongLength() {
        assertThatThrownBy(() -> Codec.parse("topk:0.1").decode(new byte[8], 11))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("topk:0.1 payload for 11 values must be 16 bytes, got 8");
    }

    @Test
    void decodeRefusesIndicesOutOfRange() {
        Codec topk = Codec.parse("topk:0.5");

        assertThatThrownBy(() -> topk.decode(payload(new int[] {1, 4}, 1, 2), 4))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("topk:0.5 payload entry 1 has index 4, expected an index in [0, 4)");
        assertThatThrownBy(() -> topk.decode(payload(new int[] {-1, 2}, 1, 2), 4))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("topk:0.5 payload entry 0 has index -1, expected an index in [0, 4)");
    }

    @Test
    void decodeRefusesIndicesNotStrictlyAscending() {
        Codec topk = Codec.parse("topk:0.5");

        assertThatThrownBy(() -> topk.decode(payload(new int[] {2, 2}, 1, 2), 4))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("topk:0.5 payload entry 1 has index 2 after index 2, expected strictly ascending indices");
        assertThatThrownBy(() -> topk.decode(payload(new int[] {3, 1}, 1, 2), 4))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("topk:0.5 payload entry 1 has index 1 after index 3, expected strictly ascending indices");
    }

    @Test
    void decodeRefusesNonFiniteValues() {
        Codec topk = Codec.parse("topk:0.5");

        assertThatThrownBy(() -> topk.decode(payload(new int[] {0, 3}, 1, Float.NaN), 4))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("topk:0.5 payload holds NaN for index 3, expected finite values");
        assertThatThrownBy(() -> topk.decode(payload(new int[] {0, 3}, Float.NEGATIVE_INFINITY, 1), 4))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("topk:0.5 payload holds -Infinity for index 0, expected finite values");
    }

    private static byte[] payload(int[] indices, float... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * indices.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i : indices) {
            b.putInt(i);
        }
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** Arrays from a handful of values, so magnitudes tie often (including 0 and -0). */
    @Provide
    Arbitrary<float[]> tieHeavy() {
        return Arbitraries.of(0f, -0f, 1f, -1f, 2f, -2f, 0.5f, 3e-38f, -1e30f)
                .array(float[].class)
                .ofMaxSize(3000);
    }
}
