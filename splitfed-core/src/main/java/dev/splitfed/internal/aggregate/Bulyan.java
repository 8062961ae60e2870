package dev.splitfed.internal.aggregate;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Bulyan (El Mhamdi, Guerraoui and Rouault 2018, "The Hidden Vulnerability of Distributed Learning
 * in Byzantium", ICML), for {@code n >= 4f + 3} updates of which up to {@code f} may be Byzantine.
 * First {@code theta = n - 2f} updates are selected by Krum, one at a time: each time Krum runs on
 * the updates not yet selected, scoring each by its squared distances to its
 * {@code |R| - f - 2} nearest others in that remaining set {@code R} (at least one while another
 * remains), and its choice moves to the selection. Then at each coordinate the
 * {@code beta = theta - 2f} selected values closest to their median are averaged (equally close
 * values: the smaller first). Unweighted. For f, and a round with too few updates, see
 * {@link ByzantineCount}.
 */
public final class Bulyan extends UnweightedAggregator {

    /** Bulyan's requirement {@code n >= 4f + 3}. */
    public static final int PER_BYZANTINE = 4;

    private final ByzantineCount f;

    /**
     * Creates the rule.
     *
     * @param f the Byzantine updates assumed, {@code >= 0}, or null for the most each round tolerates
     */
    public Bulyan(Integer f) {
        this.f = new ByzantineCount("bulyan", f, PER_BYZANTINE);
    }

    @Override
    float[] combine(float[][] vectors) {
        int n = vectors.length;
        int byzantine = f.forRound(n);
        if (byzantine < 0) {
            return Median.of(vectors);
        }
        int[] selected = select(vectors, byzantine);
        int beta = selected.length - 2 * byzantine;
        return coordinateWise(vectors, selected, sorted -> closestMean(sorted, beta));
    }

    /**
     * Returns the indices of the {@code n - 2f} updates that iterated Krum selects, in the order
     * selected.
     *
     * @param vectors the updates
     * @param byzantine f
     * @return indices into {@code vectors}
     */
    public static int[] select(float[][] vectors, int byzantine) {
        PairwiseDistances distances = new PairwiseDistances(vectors);
        List<Integer> remaining = new ArrayList<>(IntStream.range(0, vectors.length).boxed().toList());
        int theta = vectors.length - 2 * byzantine;
        int[] selected = new int[theta];
        for (int s = 0; s < theta; s++) {
            int neighbours = Math.min(remaining.size() - 1, Math.max(1, remaining.size() - byzantine - 2));
            int best = distances.ranked(remaining, neighbours).get(0);
            selected[s] = best;
            remaining.remove(Integer.valueOf(best));
        }
        return selected;
    }

    /**
     * Returns the mean of the {@code beta} values closest to the median of sorted values: in a
     * sorted column they are a run around the middle, grown one value at a time from the median
     * towards the nearer side (the lower side when both are equally near).
     */
    public static float closestMean(float[] sorted, int beta) {
        double median = Median.median(sorted);
        int n = sorted.length;
        // [lo, hi) is the run taken so far; it starts empty just above the lower middle value.
        int lo = (n - 1) / 2 + 1;
        int hi = lo;
        double sum = 0;
        for (int taken = 0; taken < beta; taken++) {
            boolean lower = lo > 0 && (hi >= n || median - sorted[lo - 1] <= sorted[hi] - median);
            sum += lower ? sorted[--lo] : sorted[hi++];
        }
        return (float) (sum / beta);
    }
}
