package dev.splitfed.compress;

import dev.splitfed.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;

/**
 * The {@code fp16} codec: each value as an IEEE 754-2008 binary16 number, {@code 2n} bytes.
 *
 * <p>Values are rounded to nearest, ties to even, with subnormals (down to {@code 2^-24}). Values
 * of magnitude {@code >= 65504} saturate to {@code ±65504}, the largest finite binary16 number,
 * where IEEE rounding would give infinity from {@code 65520} on: the inputs are finite, and a wire
 * format that turned them into infinities would poison whatever sums them on the other side.
 * Payloads holding an infinity or NaN pattern are refused.
 *
 * <p>The conversion is written out because JDK 17 has no {@code Float.floatToFloat16}.
 */
final class Float16Codec extends AbstractCodec {

    private static final int SIGN = 0x8000;
    private static final int MAX_FINITE_HALF = 0x7BFF;
    private static final int EXPONENT_MASK = 0x7C00;
    /** Float32 bits of 65504, from which on values saturate. */
    private static final int MAX_FINITE_HALF_AS_FLOAT = 0x477FE000;
    /** Float32 bits of {@code 2^-14}, the smallest normal binary16 number. */
    private static final int MIN_NORMAL_HALF_AS_FLOAT = 0x38800000;
    /** Float32 bits of {@code 2^-25}, half the smallest subnormal; it and anything below round to 0. */
    private static final int HALF_MIN_SUBNORMAL_AS_FLOAT = 0x33000000;
    /** Exponent bias difference, float32 (127) minus binary16 (15). */
    private static final int REBIAS = 127 - 15;
    /** Mantissa bits dropped from float32 (23) to binary16 (10). */
    private static final int DROPPED = 23 - 10;

    @Override
    public String spec() {
        return "fp16";
    }

    @Override
    long payloadBytes(int n) {
        return 2L * n;
    }

    @Override
    void encodeInto(float[] values, ByteBuffer out) {
        ShortBuffer halves = out.asShortBuffer();
        for (float v : values) {
            halves.put((short) halfBits(v));
        }
    }

    @Override
    float[] decodeFrom(ByteBuffer in, int n) {
        ShortBuffer halves = in.asShortBuffer();
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            int h = halves.get(i) & 0xFFFF;
            if ((h & EXPONENT_MASK) == EXPONENT_MASK) {
                throw new InvalidInputException(String.format(
                        "fp16 payload holds the infinity or NaN pattern 0x%04X at index %d, expected finite values",
                        h, i));
            }
            values[i] = fromHalfBits(h);
        }
        return values;
    }

    /**
     * Returns the binary16 bits nearest to {@code v} (ties to even), saturating at {@code ±65504}.
     *
     * @param v a finite value
     * @return the 16 bits in the low half of the int
     */
    static int halfBits(float v) {
        int bits = Float.floatToRawIntBits(v);
        int sign = (bits >>> 16) & SIGN;
        int abs = bits & 0x7FFFFFFF;
        if (abs >= MAX_FINITE_HALF_AS_FLOAT) {
            return sign | MAX_FINITE_HALF;
        }
        if (abs >= MIN_NORMAL_HALF_AS_FLOAT) {
            // Rebias the exponent and drop 13 mantissa bits; a carry out of the mantissa correctly
            // bumps the exponent, and cannot reach infinity because abs < 65504.
            int half = (abs >>> DROPPED) - (REBIAS << 10);
            return sign | roundToEven(half, abs & ((1 << DROPPED) - 1), 1 << (DROPPED - 1));
        }
        if (abs <= HALF_MIN_SUBNORMAL_AS_FLOAT) {
            return sign;
        }
        // Subnormal result: the value is mantissa * 2^(exponent - 150), counted in units of 2^-24.
        // Here 102 <= exponent <= 112, so the shift is 14..24; rounding up to 0x400 units gives
        // the smallest normal number, whose bits are exactly that.
        int exponent = abs >>> 23;
        int mantissa = (abs & 0x7FFFFF) | 0x800000;
        int shift = 126 - exponent;
        int units = mantissa >>> shift;
        return sign | roundToEven(units, mantissa & ((1 << shift) - 1), 1 << (shift - 1));
    }

    /**
     * Returns the float32 value of the binary16 bits {@code h}, which must not be infinity or NaN.
     *
     * @param h the 16 bits in the low half of the int
     */
    static float fromHalfBits(int h) {
        int sign = (h & SIGN) << 16;
        int exponent = (h & EXPONENT_MASK) >>> 10;
        int mantissa = h & 0x3FF;
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + REBIAS) << 23) | (mantissa << DROPPED));
    }

    private static int roundToEven(int truncated, int rest, int halfway) {
        boolean up = rest > halfway || (rest == halfway && (truncated & 1) != 0);
        return up ? truncated + 1 : truncated;
    }
}
