package dev.splitfed.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class Float32CodecTest {

    @Test
    void writesLittleEndianFloat32() {
        byte[] payload = Codec.NONE.encode(new float[] {1, -2.5f});

        // 1.0f = 0x3F800000, -2.5f = 0xC0200000
        assertThat(payload).containsExactly(0, 0, (byte) 0x80, 0x3F, 0, 0, 0x20, (byte) 0xC0);
    }

    @Property(tries = 200)
    void decodesEveryFiniteValueBitForBit(@ForAll("finiteArrays") float[] values) {
        byte[] payload = Codec.NONE.encode(values);

        assertThat(payload).hasSize(4 * values.length);
        float[] decoded = Codec.NONE.decode(payload, values.length);
        for (int i = 0; i < values.length; i++) {
            assertThat(Float.floatToRawIntBits(decoded[i])).isEqualTo(Float.floatToRawIntBits(values[i]));
        }
    }

    @Test
    void decodeRefusesNaNAndInfinity() {
        assertThatThrownBy(() -> Codec.NONE.decode(new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xC0, 0x7F}, 2))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("none payload holds NaN at index 1, expected finite values");
        assertThatThrownBy(() -> Codec.NONE.decode(new byte[] {0, 0, (byte) 0x80, (byte) 0xFF}, 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("none payload holds -Infinity at index 0, expected finite values");
    }

    @Test
    void decodeRefusesAPayloadOfTheWrongLength() {
        assertThatThrownBy(() -> Codec.NONE.decode(new byte[7], 2))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("none payload for 2 values must be 8 bytes, got 7");
    }

    @Provide
    Arbitrary<float[]> finiteArrays() {
        return Arbitraries.integers()
                .map(Float::intBitsToFloat)
                .filter(Float::isFinite)
                .array(float[].class)
                .ofMaxSize(3000);
    }
}
