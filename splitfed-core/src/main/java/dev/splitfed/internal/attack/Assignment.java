package dev.splitfed.internal.attack;

import java.util.Arrays;

/**
 * The one-to-one matching of rows to columns of a square matrix with the largest total weight:
 * the Hungarian method (Kuhn 1955; Munkres 1957) in its O(n^3) form with row and column potentials
 * (Jonker and Volgenant 1987), on the costs {@code max - weight}. Label inference uses it to score
 * clusters against labels under the most favourable naming of the clusters.
 */
public final class Assignment {

    private Assignment() {}

    /**
     * Returns, for each row, its column in a maximum-weight perfect matching.
     *
     * @param weights an n x n matrix, {@code n >= 1}
     * @return a permutation of {@code 0 .. n-1}
     */
    public static int[] maximise(long[][] weights) {
        int n = weights.length;
        long max = Long.MIN_VALUE;
        for (long[] row : weights) {
            if (row.length != n) {
                throw new IllegalArgumentException("the matrix must be square, got a row of " + row.length + " in " + n);
            }
            for (long w : row) {
                max = Math.max(max, w);
            }
        }
        // 1-based arrays as in the classic formulation: u, v potentials; p[j] the row matched to column j.
        long[] u = new long[n + 1];
        long[] v = new long[n + 1];
        int[] p = new int[n + 1];
        int[] way = new int[n + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            long[] minv = new long[n + 1];
            Arrays.fill(minv, Long.MAX_VALUE);
            boolean[] used = new boolean[n + 1];
            do {
                used[j0] = true;
                int i0 = p[j0];
                long delta = Long.MAX_VALUE;
                int j1 = 0;
                for (int j = 1; j <= n; j++) {
                    if (!used[j]) {
                        long cur = (max - weights[i0 - 1][j - 1]) - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= n; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] columnOf = new int[n];
        for (int j = 1; j <= n; j++) {
            columnOf[p[j] - 1] = j - 1;
        }
        return columnOf;
    }
}
