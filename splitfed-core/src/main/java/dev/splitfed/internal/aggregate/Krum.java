package dev.splitfed.internal.aggregate;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Krum and Multi-Krum (Blanchard et al. 2017, "Machine Learning with Adversaries: Byzantine
 * Tolerant Gradient Descent", NeurIPS). Each update is scored by the sum of its squared distances
 * to its {@code n - f - 2} nearest others, for {@code n} updates of which up to {@code f} may be
 * Byzantine ({@code n >= 2f + 3}). Krum returns the best-scored update; Multi-Krum the unweighted
 * mean of the {@code m} best-scored, at most {@code n - f} of them. Equal scores go to the lower
 * client id. For f, and a round with too few updates, see {@link ByzantineCount}.
 */
public final class Krum extends UnweightedAggregator {

    /** Krum's requirement {@code n >= 2f + 3}. */
    public static final int PER_BYZANTINE = 2;

    private final int m;
    private final ByzantineCount f;

    /**
     * Creates Multi-Krum; {@code m = 1} is Krum.
     *
     * @param m how many best-scored updates are averaged, {@code >= 1}; a round with fewer
     *     updates averages all it has
     * @param f the Byzantine updates assumed, {@code >= 0}, or null for the most each round tolerates
     */
    public Krum(int m, Integer f) {
        if (m < 1) {
            throw new IllegalArgumentException("m must be >= 1, got " + m);
        }
        this.m = m;
        this.f = new ByzantineCount(m == 1 ? "krum" : "multi-krum", f, PER_BYZANTINE);
    }

    @Override
    float[] combine(float[][] vectors) {
        int n = vectors.length;
        int byzantine = f.forRound(n);
        if (byzantine < 0) {
            return Median.of(vectors);
        }
        List<Integer> all = IntStream.range(0, n).boxed().toList();
        List<Integer> ranked = new PairwiseDistances(vectors).ranked(all, n - byzantine - 2);
        // Multi-Krum averages at most n - f updates (Blanchard et al. 2017, Section 5): more would
        // have to include a Byzantine one when f of them lie.
        int[] chosen = ranked.subList(0, Math.min(m, n - byzantine)).stream().mapToInt(Integer::intValue).toArray();
        return mean(vectors, chosen);
    }
}
