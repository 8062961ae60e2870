package dev.splitfed.examples;

import dev.splitfed.aggregate.Aggregator;
import dev.splitfed.aggregate.AggregatorSpec;
import dev.splitfed.aggregate.ClientUpdate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The coordinate-wise median of means: the round's updates, in client-id order, are cut into
 * {@code groups} groups of consecutive updates (sizes differing by at most one), each group is
 * averaged, and each coordinate of the aggregate is the median of the group means there.
 *
 * <p>The median-of-means estimator goes back to Nemirovsky &amp; Yudin 1983 and Alon, Matias &amp;
 * Szegedy 1996; Chen, Su &amp; Xu 2017 ("Distributed Statistical Machine Learning in Adversarial
 * Settings: Byzantine Gradient Descent", POMACS 1(2)) aggregate gradients with the geometric median
 * of group means. This example takes the median coordinate by coordinate, as Yin et al. 2018 do for
 * single updates. Averaging first lowers the variance the median sees; the median then tolerates up
 * to {@code ceil(groups / 2) - 1} groups holding a Byzantine update. Like splitfed's other robust
 * rules it weighs every update alike, since a Byzantine client could claim any sample count.
 *
 * <p>As an {@link AggregatorSpec} it is what a run's settings hold: {@code median-of-means:G},
 * which {@link MedianOfMeansProvider} reads. It keeps no state, so it is its own aggregator.
 *
 * @param groups G, the number of groups, {@code >= 1}; one group is the plain unweighted mean
 */
public record MedianOfMeans(int groups) implements AggregatorSpec, Aggregator {

    /** Checks that there is at least one group. */
    public MedianOfMeans {
        if (groups < 1) {
            throw new IllegalArgumentException("groups must be >= 1, got " + groups);
        }
    }

    @Override
    public String spec() {
        return MedianOfMeansProvider.NAME + ":" + groups;
    }

    @Override
    public Aggregator create() {
        return this;
    }

    /** Returns G: a round needs an update for every group, or the rule would not be what it says. */
    @Override
    public int minimumUpdates() {
        return groups;
    }

    /**
     * Returns the coordinate-wise median of the group means; with fewer updates than groups (clients
     * of a deployment that dropped out of the round), every update is a group of its own.
     *
     * @param updates at least one update, all vectors of the same length
     * @return a new vector of that length
     */
    @Override
    public float[] aggregate(List<ClientUpdate> updates) {
        if (updates.isEmpty()) {
            throw new IllegalArgumentException("updates must not be empty");
        }
        // Client-id order makes the groups, and so the result, independent of arrival order.
        List<ClientUpdate> ordered = updates.stream().sorted(Comparator.comparingInt(ClientUpdate::clientId)).toList();
        int length = ordered.get(0).delta().length;
        int g = Math.min(groups, ordered.size());
        double[][] means = new double[g][length];
        int start = 0;
        for (int j = 0; j < g; j++) {
            int size = ordered.size() / g + (j < ordered.size() % g ? 1 : 0);
            for (ClientUpdate u : ordered.subList(start, start + size)) {
                if (u.delta().length != length) {
                    throw new IllegalArgumentException(
                            "client " + u.clientId() + " sent " + u.delta().length + " values, expected " + length);
                }
                for (int i = 0; i < length; i++) {
                    means[j][i] += u.delta()[i];
                }
            }
            for (int i = 0; i < length; i++) {
                means[j][i] /= size;
            }
            start += size;
        }
        float[] out = new float[length];
        double[] column = new double[g];
        for (int i = 0; i < length; i++) {
            for (int j = 0; j < g; j++) {
                column[j] = means[j][i];
            }
            Arrays.sort(column);
            out[i] = (float) (g % 2 == 1 ? column[g / 2] : (column[g / 2 - 1] + column[g / 2]) / 2);
        }
        return out;
    }
}
