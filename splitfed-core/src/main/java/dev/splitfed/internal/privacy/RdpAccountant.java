package dev.splitfed.internal.privacy;

import dev.splitfed.InvalidInputException;

/**
 * Counts the privacy a run of the sampled Gaussian mechanism spends, in Rényi differential privacy
 * (Mironov 2017, "Rényi Differential Privacy"), and converts it to (epsilon, delta).
 *
 * <p>One step adds Gaussian noise of standard deviation {@code sigma} times the sensitivity to a
 * sum over a Poisson sample that holds each record with probability {@code q}. Its RDP at an
 * integer order {@code alpha >= 2} is {@code log(A_alpha) / (alpha - 1)} with
 * {@code A_alpha = sum_k C(alpha, k) (1 - q)^(alpha - k) q^k exp((k^2 - k) / (2 sigma^2))}
 * (Mironov, Talwar and Zhang 2019, "Rényi Differential Privacy of the Sampled Gaussian
 * Mechanism", Section 3.3), computed in log space. RDP adds up over steps, and epsilon is the
 * smallest over the orders 2 to 256 of the chosen {@link Conversion}.
 */
public final class RdpAccountant {

    /** The lowest and highest Rényi order tried. */
    static final int MIN_ORDER = 2;
    static final int MAX_ORDER = 256;

    /** How accumulated RDP becomes (epsilon, delta)-differential privacy. */
    public enum Conversion {
        /** {@code eps = rdp + log(1/delta) / (alpha - 1)} (Mironov 2017, Proposition 3). */
        CLASSIC,
        /**
         * {@code eps = rdp + log((alpha - 1) / alpha) - (log delta + log alpha) / (alpha - 1)}, never
         * looser (Balle, Barthe, Gaboardi, Hsu and Sato 2020, "Hypothesis Testing Interpretations
         * and Renyi Differential Privacy", Theorem 21).
         */
        BALLE2020
    }

    private final double sampleRate;
    private final double noise;
    private final double[] rdpPerStep = new double[MAX_ORDER + 1];
    private long steps;

    /**
     * Creates an accountant for steps with the given sampling and noise.
     *
     * @param sampleRate q, the probability that a step's sample holds a given record, in (0, 1]
     * @param noise sigma, the noise's standard deviation over the sensitivity, > 0
     * @throws InvalidInputException if either is out of range
     */
    public RdpAccountant(double sampleRate, double noise) {
        if (!(sampleRate > 0 && sampleRate <= 1)) {
            throw new InvalidInputException("sample rate must be in (0, 1], got " + sampleRate);
        }
        if (!(noise > 0 && Double.isFinite(noise))) {
            throw new InvalidInputException("noise multiplier must be a positive number, got " + noise);
        }
        this.sampleRate = sampleRate;
        this.noise = noise;
        for (int alpha = MIN_ORDER; alpha <= MAX_ORDER; alpha++) {
            rdpPerStep[alpha] = rdp(sampleRate, noise, alpha);
        }
    }

    /**
     * Records steps of the mechanism.
     *
     * @param count how many, {@code >= 0}
     */
    public void step(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        steps += count;
    }

    /** Returns the steps recorded so far. */
    public long steps() {
        return steps;
    }

    /**
     * Returns the epsilon spent so far at {@code delta}.
     *
     * @param delta the probability of failure, in (0, 1)
     * @param conversion how RDP becomes (epsilon, delta)
     * @return epsilon, {@code >= 0}; 0 before the first step
     * @throws InvalidInputException if delta is out of range
     */
    public double epsilon(double delta, Conversion conversion) {
        if (!(delta > 0 && delta < 1)) {
            throw new InvalidInputException("delta must be in (0, 1), got " + delta);
        }
        if (steps == 0) {
            return 0;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int alpha = MIN_ORDER; alpha <= MAX_ORDER; alpha++) {
            double rdp = rdpPerStep[alpha] * steps;
            double eps = switch (conversion) {
                case CLASSIC -> rdp + Math.log(1 / delta) / (alpha - 1);
                case BALLE2020 -> rdp + Math.log((alpha - 1.0) / alpha) - (Math.log(delta) + Math.log(alpha)) / (alpha - 1);
            };
            best = Math.min(best, eps);
        }
        return Math.max(0, best);
    }

    /** Returns q. */
    public double sampleRate() {
        return sampleRate;
    }

    /** Returns sigma. */
    public double noise() {
        return noise;
    }

    /**
     * Returns the RDP of one step at an integer order (Mironov, Talwar and Zhang 2019, Section 3.3).
     *
     * @param q the sampling probability, in (0, 1]
     * @param sigma the noise multiplier, > 0
     * @param alpha the order, {@code >= 2}
     * @return epsilon_RDP(alpha) of one step
     */
    static double rdp(double q, double sigma, int alpha) {
        if (q == 1) {
            // No sampling: the Gaussian mechanism itself, alpha / (2 sigma^2).
            return alpha / (2 * sigma * sigma);
        }
        double logQ = Math.log(q);
        double log1mQ = Math.log1p(-q);
        double[] terms = new double[alpha + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k <= alpha; k++) {
            terms[k] = logBinomial(alpha, k) + k * logQ + (alpha - k) * log1mQ + (k * (double) k - k) / (2 * sigma * sigma);
            max = Math.max(max, terms[k]);
        }
        double sum = 0;
        for (double t : terms) {
            sum += Math.exp(t - max);
        }
        return (max + Math.log(sum)) / (alpha - 1);
    }

    private static double logBinomial(int n, int k) {
        double sum = 0;
        for (int i = 1; i <= k; i++) {
            sum += Math.log(n - k + i) - Math.log(i);
        }
        return sum;
    }
}
