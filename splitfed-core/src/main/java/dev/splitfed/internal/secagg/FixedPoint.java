package dev.splitfed.internal.secagg;

import dev.splitfed.InvalidInputException;

/**
 * Real numbers as integers modulo 2^32 with {@value #FRACTION_BITS} fractional bits, the ring in
 * which secure aggregation adds masked inputs (Bonawitz et al. 2017, section 3: inputs in Z_R).
 * Java's {@code int} arithmetic wraps modulo 2^32, so masks are added and removed with {@code +}
 * and {@code -} and cancel exactly.
 *
 * <p>The bound: a client encodes {@code share * w} for each weight w, with {@code share = n_k / N}
 * and {@code sum of shares <= 1}. Every |w| must be at most {@value #MAX_MAGNITUDE}; then the true
 * sum of the encoded values over any set of clients is at most 2047 * 2^20 + m/2 = 2^31 - 2^20 + m/2
 * in magnitude (m/2 for rounding, m clients), which stays below 2^31 for at most 2^21 - 1 clients: the
 * wrapped sum, read as a signed int, is the true sum. A weight outside the bound is refused, never
 * wrapped. The resolution is 2^-20 (about 9.5e-7); each client's value is rounded once, so the
 * decoded sum is within m * 2^-21 of the exact one.
 */
public final class FixedPoint {

    /** Fractional bits. */
    public static final int FRACTION_BITS = 20;

    /** The largest weight magnitude secure aggregation accepts. */
    public static final double MAX_MAGNITUDE = 2047;

    /** The most values that may be summed without leaving the representable range. */
    public static final int MAX_SUMMANDS = (1 << 21) - 1;

    private static final double SCALE = 1 << FRACTION_BITS;

    private FixedPoint() {}

    /**
     * Returns {@code share * w[i]} for every i, in fixed point.
     *
     * @param w the values, each of magnitude at most {@value #MAX_MAGNITUDE}
     * @param share the factor, in [0, 1]
     * @param owner names whose values they are, for the error message
     * @return the encoded values
     * @throws InvalidInputException if a value is outside the representable range
     */
    public static int[] encode(float[] w, double share, String owner) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in [0, 1], got " + share);
        }
        int[] out = new int[w.length];
        for (int i = 0; i < w.length; i++) {
            if (!(Math.abs(w[i]) <= MAX_MAGNITUDE)) {
                throw new InvalidInputException(owner + "'s weight " + i + " is " + w[i]
                        + ", outside the +-" + (int) MAX_MAGNITUDE + " that secure aggregation represents with "
                        + FRACTION_BITS + " fractional bits in 32-bit integers");
            }
            out[i] = (int) Math.round(share * w[i] * SCALE);
        }
        return out;
    }

    /**
     * Returns the real number a (wrapped) sum of encoded values stands for.
     *
     * @param sum the sum modulo 2^32
     * @return its value
     */
    public static double decode(int sum) {
        return sum / SCALE;
    }
}
