package dev.splitfed.internal.aggregate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The squared Euclidean distances between a round's updates, and the Krum score they give
 * (Blanchard et al. 2017, "Machine Learning with Adversaries: Byzantine Tolerant Gradient
 * Descent", NeurIPS): the sum of the squared distances from an update to its nearest others.
 */
public final class PairwiseDistances {

    private final double[][] squared;

    /**
     * Computes the distances, {@code O(n^2 d)}.
     *
     * @param vectors the updates, all of one length
     */
    PairwiseDistances(float[][] vectors) {
        int n = vectors.length;
        squared = new double[n][n];
        for (int a = 0; a < n; a++) {
            float[] x = vectors[a];
            for (int b = a + 1; b < n; b++) {
                float[] y = vectors[b];
                double sum = 0;
                for (int i = 0; i < x.length; i++) {
                    double diff = (double) x[i] - y[i];
                    sum += diff * diff;
                }
                squared[a][b] = sum;
                squared[b][a] = sum;
            }
        }
    }

    /**
     * Returns the Krum score of {@code k} among {@code candidates}: the sum of the squared
     * distances to the {@code neighbours} nearest other candidates.
     *
     * @param k a candidate
     * @param candidates the updates still in play, including {@code k}
     * @param neighbours how many nearest others count, at most {@code candidates.size() - 1}
     * @return the score
     */
    double score(int k, List<Integer> candidates, int neighbours) {
        double[] others = new double[candidates.size() - 1];
        int j = 0;
        for (int c : candidates) {
            if (c != k) {
                others[j++] = squared[k][c];
            }
        }
        Arrays.sort(others);
        double sum = 0;
        for (int i = 0; i < neighbours; i++) {
            sum += others[i];
        }
        return sum;
    }

    /**
     * Returns the candidates from the best (lowest) Krum score to the worst; equal scores keep
     * the candidates' order (client-id order).
     *
     * @param candidates the updates in play
     * @param neighbours how many nearest others count in a score
     * @return the candidates, ranked
     */
    List<Integer> ranked(List<Integer> candidates, int neighbours) {
        double[] scores = new double[squared.length];
        for (int k : candidates) {
            scores[k] = score(k, candidates, neighbours);
        }
        List<Integer> out = new ArrayList<>(candidates);
        out.sort(Comparator.comparingDouble(k -> scores[k]));
        return out;
    }
}
