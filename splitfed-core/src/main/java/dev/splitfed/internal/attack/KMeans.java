package dev.splitfed.internal.attack;

import dev.splitfed.internal.random.Seeds;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Spherical k-means (Dhillon and Modha 2001): k-means on unit vectors with cosine similarity,
 * seeded with k-means++ (Arthur and Vassilvitskii 2007) on the cosine distance 1 - cos, the best
 * of several seeded restarts. The clustering step of the label inference attacks of Liu and Lyu
 * 2022 ("Clustering label inference attack against practical split learning"), who cluster
 * gradients by cosine similarity because their direction, not their size, carries the label.
 */
public final class KMeans {

    private final int k;
    private final int restarts;
    private final int maxIterations;
    private final long seed;

    /**
     * Creates the clusterer.
     *
     * @param k the number of clusters, {@code >= 1}
     * @param restarts seeded restarts, the best kept, {@code >= 1}
     * @param maxIterations Lloyd iterations per restart at most, {@code >= 1}
     * @param seed the seed of the k-means++ draws
     */
    public KMeans(int k, int restarts, int maxIterations, long seed) {
        if (k < 1 || restarts < 1 || maxIterations < 1) {
            throw new IllegalArgumentException("k, restarts and maxIterations must be >= 1");
        }
        this.k = k;
        this.restarts = restarts;
        this.maxIterations = maxIterations;
        this.seed = seed;
    }

    /**
     * Returns the cluster of each vector. A zero vector has no direction and joins cluster 0.
     *
     * @param vectors n vectors of one length, {@code n >= k}
     * @return n cluster indices in {@code [0, k)}
     */
    public int[] cluster(float[][] vectors) {
        int n = vectors.length;
        if (n < k) {
            throw new IllegalArgumentException("cannot make " + k + " clusters of " + n + " vectors");
        }
        double[][] unit = new double[n][];
        for (int i = 0; i < n; i++) {
            unit[i] = normalised(vectors[i]);
        }
        int[] best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < restarts; r++) {
            int[] assignment = new int[n];
            double score = lloyd(unit, seedCentroids(unit, Seeds.rng(seed, "kmeans", r)), assignment);
            if (score > bestScore) {
                bestScore = score;
                best = assignment;
            }
        }
        return best;
    }

    /** k-means++: each next centre drawn with probability proportional to its cosine distance to the nearest centre. */
    private double[][] seedCentroids(double[][] unit, UniformRandomProvider rng) {
        int n = unit.length;
        double[][] centres = new double[k][];
        centres[0] = unit[rng.nextInt(n)].clone();
        double[] nearest = new double[n];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                nearest[i] = Math.min(nearest[i], Math.max(0, 1 - dot(unit[i], centres[c - 1])));
                total += nearest[i];
            }
            int chosen = rng.nextInt(n);
            if (total > 0) {
                double target = rng.nextDouble() * total;
                for (int i = 0; i < n; i++) {
                    target -= nearest[i];
                    if (target < 0) {
                        chosen = i;
                        break;
                    }
                }
            }
            centres[c] = unit[chosen].clone();
        }
        return centres;
    }

    /** Runs Lloyd's iterations in place and returns the summed cosine similarity to the assigned centres. */
    private double lloyd(double[][] unit, double[][] centres, int[] assignment) {
        int n = unit.length;
        int dims = unit[0].length;
        double score = 0;
        Arrays.fill(assignment, -1);
        for (int iteration = 0; iteration < maxIterations; iteration++) {
            boolean changed = false;
            score = 0;
            for (int i = 0; i < n; i++) {
                int argmax = 0;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double s = dot(unit[i], centres[c]);
                    if (s > max) {
                        max = s;
                        argmax = c;
                    }
                }
                score += max;
                if (assignment[i] != argmax) {
                    assignment[i] = argmax;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
            double[][] sums = new double[k][dims];
            for (int i = 0; i < n; i++) {
                double[] sum = sums[assignment[i]];
                for (int d = 0; d < dims; d++) {
                    sum[d] += unit[i][d];
                }
            }
            for (int c = 0; c < k; c++) {
                double norm = Math.sqrt(dot(sums[c], sums[c]));
                // An emptied cluster keeps its centre; it may win members back later.
                if (norm > 0) {
                    for (int d = 0; d < dims; d++) {
                        centres[c][d] = sums[c][d] / norm;
                    }
                }
            }
        }
        return score;
    }

    private static double[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        norm = Math.sqrt(norm);
        double[] out = new double[v.length];
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                out[i] = v[i] / norm;
            }
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
