package dev.splitfed.scheme;

import static org.assertj.core.api.Assertions.assertThat;

/** Comparisons of weight vectors for the scheme tests. */
final class Weights {

    private Weights() {}

    /** Returns the largest absolute difference between two weight vectors of the same length. */
    static double maxAbsDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
