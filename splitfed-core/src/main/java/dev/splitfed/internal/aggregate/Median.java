package dev.splitfed.internal.aggregate;

/**
 * The coordinate-wise median (Yin et al. 2018, "Byzantine-Robust Distributed Learning: Towards
 * Optimal Statistical Rates", ICML, Definition 1): each coordinate of the aggregate is the median
 * of the updates' values there; for an even number of updates, the mean of the two middle values.
 * Unweighted.
 */
public final class Median extends UnweightedAggregator {

    @Override
    float[] combine(float[][] vectors) {
        return of(vectors);
    }

    /**
     * Returns the coordinate-wise median of the vectors.
     *
     * @param vectors at least one vector, all of one length; not modified
     * @return a new vector
     */
    static float[] of(float[][] vectors) {
        return coordinateWise(vectors, all(vectors.length), Median::median);
    }

    /** Returns the median of sorted values: the middle one, or the mean of the middle two. */
    static float median(float[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (float) (((double) sorted[n / 2 - 1] + sorted[n / 2]) / 2);
    }
}
