package dev.splitfed.internal.aggregate;


/**
 * The coordinate-wise trimmed mean (Yin et al. 2018, "Byzantine-Robust Distributed Learning:
 * Towards Optimal Statistical Rates", ICML, Definition 2): at each coordinate the {@code b}
 * largest and the {@code b} smallest values are dropped and the rest averaged, with
 * {@code b = floor(beta * n)} for {@code n} updates. Unweighted; {@code beta = 0} is the plain mean.
 */
public final class TrimmedMean extends UnweightedAggregator {

    private final double beta;

    /**
     * Creates the rule.
     *
     * @param beta the fraction trimmed at each end, in {@code [0, 0.5)}
     */
    public TrimmedMean(double beta) {
        if (!(beta >= 0 && beta < 0.5)) {
            throw new IllegalArgumentException("beta must be in [0, 0.5), got " + beta);
        }
        this.beta = beta;
    }

    /**
     * Returns how many values are dropped at each end of a coordinate for {@code n} updates.
     *
     * @param n the number of updates
     * @return {@code floor(beta * n)}, which leaves at least one value since beta is below one half
     */
    public int trimmed(int n) {
        // The small allowance keeps e.g. 0.29 * 100 = 28.999999999999996 from trimming 28.
        return (int) Math.floor(beta * n + 1e-9);
    }

    @Override
    float[] combine(float[][] vectors) {
        int n = vectors.length;
        int b = trimmed(n);
        return coordinateWise(vectors, all(n), sorted -> {
            double sum = 0;
            for (int k = b; k < n - b; k++) {
                sum += sorted[k];
            }
            return sum / (n - 2 * b);
        });
    }
}
