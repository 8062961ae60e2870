package dev.splitfed.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class Float16CodecTest {

    private static final Codec FP16 = Codec.parse("fp16");
    private static final int MAX_FINITE_HALF = 0x7BFF;
    private static final int INFINITY_HALF = 0x7C00;

    /**
     * Float32 bits and their binary16 bits as PyTorch 1.13 rounds them, produced by
     *
     * <pre>
     * t = torch.tensor(values, dtype=torch.float32)
     * t.view(torch.int32).tolist(), t.half().view(torch.int16).tolist()
     * </pre>
     *
     * <p>PyTorch gives infinity ({@code 0x7C00}) from 65520 on; this codec saturates to 65504
     * ({@code 0x7BFF}) there instead, which {@link #matchesPyTorchBitForBitExceptSaturation} allows
     * for explicitly.
     */
    private static final int[][] PYTORCH = {
        {0x00000000, 0x0000}, // 0
        {0x80000000, 0x8000}, // -0
        {0x3F800000, 0x3C00}, // 1
        {0xBF800000, 0xBC00}, // -1
        {0x3DCCCCCD, 0x2E66}, // 0.1
        {0xBDCCCCCD, 0xAE66}, // -0.1
        {0x3EAAAAAB, 0x3555}, // 1/3
        {0x40490FD0, 0x4248}, // 3.14159
        {0x447A2000, 0x63D1}, // 1000.5
        {0x477FE000, 0x7BFF}, // 65504 (largest fp16)
        {0x477FEF00, 0x7BFF}, // 65519 (rounds down to 65504)
        {0x477FF000, 0x7C00}, // 65520 (halfway to 2^16; PyTorch: inf, here: 65504)
        {0xC77FF000, 0xFC00}, // -65520
        {0x4788B800, 0x7C00}, // 70000
        {0x501502F9, 0x7C00}, // 1e10
        {0xD01502F9, 0xFC00}, // -1e10
        {0x7F7FFFFF, 0x7C00}, // Float.MAX_VALUE
        {0x38800000, 0x0400}, // 2^-14 (smallest normal)
        {0x387FDA40, 0x03FF}, // 6.1e-5 (rounds to the largest subnormal)
        {0x387FE000, 0x0400}, // 2^-14 - 2^-25 (tie, rounds up to the smallest normal)
        {0x33800000, 0x0001}, // 2^-24 (smallest subnormal)
        {0x337FFAE5, 0x0001}, // 5.96e-8
        {0x33000000, 0x0000}, // 2^-25 (tie, rounds to 0)
        {0x33000100, 0x0001}, // 2^-25 + 2^-40 (just above the tie)
        {0x33C00000, 0x0002}, // 3*2^-25 (tie, rounds to 2*2^-24)
        {0xB3C00000, 0x8002}, // -3*2^-25
        {0x32800000, 0x0000}, // 2^-26
        {0x000116C2, 0x0000}, // 1e-40 (float32 subnormal)
        {0x80000001, 0x8000}, // -1.4e-45 (-Float.MIN_VALUE)
        {0x3F801000, 0x3C00}, // 1+2^-11 (tie, to even 1)
        {0x3F803000, 0x3C02}, // 1+3*2^-11 (tie, to even 1+2^-9)
        {0x3F801001, 0x3C01}, // 1+2^-11+2^-23 (just above the tie)
        {0x3F7FF000, 0x3C00}, // 1-2^-12 (tie, to even 1)
        {0x45001000, 0x6800}, // 2049 (tie, to even 2048)
        {0x45003000, 0x6802}, // 2051 (tie, to even 2052)
        {0xC640E6B6, 0xF207}, // -12345.678
        {0x3F001000, 0x3800}, // 0.5+2^-12 (tie, to even 0.5)
        {0x44FFFCCD, 0x6800}, // 2047.9
    };

    @Test
    void matchesPyTorchBitForBitExceptSaturation() {
        float[] values = new float[PYTORCH.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = Float.intBitsToFloat(PYTORCH[i][0]);
        }

        ByteBuffer payload = ByteBuffer.wrap(FP16.encode(values)).order(ByteOrder.LITTLE_ENDIAN);

        for (int i = 0; i < values.length; i++) {
            int torch = PYTORCH[i][1];
            int expected = (torch & 0x7FFF) == INFINITY_HALF ? (torch & 0x8000) | MAX_FINITE_HALF : torch;
            assertThat(payload.getShort(2 * i) & 0xFFFF)
                    .as("fp16 bits of %s", values[i])
                    .isEqualTo(expected);
        }
    }

    @Test
    void everyFiniteHalfDecodesToItsValueAndEncodesBackToItself() {
        // All 2 * 31 * 1024 patterns with an exponent below all-ones, checked against the textbook
        // value: (-1)^s * m * 2^-24 for exponent 0, (-1)^s * (1024 + m) * 2^(e - 25) otherwise.
        int count = 2 * 31 * 1024;
        ByteBuffer payload = ByteBuffer.allocate(2 * count).order(ByteOrder.LITTLE_ENDIAN);
        double[] expected = new double[count];
        int j = 0;
        for (int sign = 0; sign < 2; sign++) {
            for (int e = 0; e < 31; e++) {
                for (int m = 0; m < 1024; m++) {
                    double magnitude = e == 0 ? Math.scalb((double) m, -24) : Math.scalb((double) (1024 + m), e - 25);
                    expected[j++] = sign == 0 ? magnitude : -magnitude;
                    payload.putShort((short) ((sign << 15) | (e << 10) | m));
                }
            }
        }

        float[] decoded = FP16.decode(payload.array(), count);

        for (int i = 0; i < count; i++) {
            assertThat((double) decoded[i]).isEqualTo(expected[i]);
            assertThat(Math.copySign(1.0, decoded[i])).isEqualTo(Math.copySign(1.0, expected[i]));
        }
        assertThat(FP16.encode(decoded)).isEqualTo(payload.array());
    }

    @Property(tries = 2000)
    void roundsToTheNearestHalfWithTiesToEven(@ForAll("belowSaturation") float x) {
        int h = Float16Codec.halfBits(x);
        double error = Math.abs((double) x - Float16Codec.fromHalfBits(h));
        int magnitude = h & 0x7FFF;

        if (magnitude > 0) {
            assertThat(error).isLessThanOrEqualTo(Math.abs((double) x - Float16Codec.fromHalfBits(h - 1)));
        }
        if (magnitude < MAX_FINITE_HALF) {
            double errorAbove = Math.abs((double) x - Float16Codec.fromHalfBits(h + 1));
            assertThat(error).isLessThanOrEqualTo(errorAbove);
            if (error == errorAbove) {
                assertThat(h & 1).as("tie goes to the even mantissa").isZero();
            }
        }
        assertThat(h & 0x8000).isEqualTo(Float.floatToRawIntBits(x) >>> 31 << 15);
    }

    @Test
    void everyMidpointBetweenNeighbouringHalvesGoesToTheEvenOne() {
        for (int h = 0; h < MAX_FINITE_HALF; h++) {
            // Two neighbours differ in the 11th significant bit, so their midpoint is a float32.
            float midpoint = (Float16Codec.fromHalfBits(h) + Float16Codec.fromHalfBits(h + 1)) / 2;
            int even = (h & 1) == 0 ? h : h + 1;

            assertThat(Float16Codec.halfBits(midpoint)).as("fp16 bits of %s", midpoint).isEqualTo(even);
            assertThat(Float16Codec.halfBits(-midpoint)).isEqualTo(0x8000 | even);
        }
    }

    @Property(tries = 1000)
    void normalValuesHaveRelativeErrorAtMostTwoToMinusEleven(@ForAll("normalHalfRange") float x) {
        float decoded = FP16.decode(FP16.encode(new float[] {x}), 1)[0];

        assertThat(Math.abs((double) x - decoded)).isLessThanOrEqualTo(Math.abs((double) x) * 0x1p-11);
    }

    @Property(tries = 1000)
    void subnormalValuesHaveAbsoluteErrorAtMostTwoToMinusTwentyFive(@ForAll("subnormalHalfRange") float x) {
        float decoded = FP16.decode(FP16.encode(new float[] {x}), 1)[0];

        assertThat(Math.abs((double) x - decoded)).isLessThanOrEqualTo(0x1p-25);
    }

    @Property(tries = 500)
    void valuesFrom65504OnSaturateInsteadOfBecomingInfinite(@ForAll("saturating") float x) {
        float decoded = FP16.decode(FP16.encode(new float[] {x}), 1)[0];

        assertThat(decoded).isEqualTo(Math.copySign(65504f, x));
    }

    @Test
    void payloadIsTwoBytesPerValue() {
        for (int n : new int[] {0, 1, 2, 2047, 2048, 2049, 75_264}) {
            assertThat(FP16.encodedBytes(n)).isEqualTo(2 * n);
            assertThat(FP16.encode(new float[n])).hasSize(2 * n);
        }
    }

    @Test
    void decodeRefusesInfinityAndNaNPatterns() {
        assertThatThrownBy(() -> FP16.decode(new byte[] {0, 0, 0x00, 0x7C}, 2))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("fp16 payload holds the infinity or NaN pattern 0x7C00 at index 1, expected finite values");
        assertThatThrownBy(() -> FP16.decode(new byte[] {0x01, (byte) 0xFE}, 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("fp16 payload holds the infinity or NaN pattern 0xFE01 at index 0, expected finite values");
    }

    @Test
    void decodeRefusesAPayloadOfTheWrongLength() {
        assertThatThrownBy(() -> FP16.decode(new byte[5], 3))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("fp16 payload for 3 values must be 6 bytes, got 5");
    }

    @Provide
    Arbitrary<Float> belowSaturation() {
        return signed(Arbitraries.integers().between(0, 0x477FE000 - 1));
    }

    @Provide
    Arbitrary<Float> normalHalfRange() {
        return signed(Arbitraries.integers().between(0x38800000, 0x477FE000));
    }

    @Provide
    Arbitrary<Float> subnormalHalfRange() {
        return signed(Arbitraries.integers().between(0, 0x38800000 - 1));
    }

    @Provide
    Arbitrary<Float> saturating() {
        return signed(Arbitraries.integers().between(0x477FE000, 0x7F7FFFFF));
    }

    /** Floats whose magnitudes have float32 bits in the given range, with either sign. */
    private static Arbitrary<Float> signed(Arbitrary<Integer> magnitudeBits) {
        return magnitudeBits.flatMap(bits -> Arbitraries.of(bits, bits | 0x80000000)).map(Float::intBitsToFloat);
    }
}
