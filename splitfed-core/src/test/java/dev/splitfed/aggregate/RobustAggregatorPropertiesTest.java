package dev.splitfed.aggregate;

import dev.splitfed.internal.aggregate.Bulyan;
import dev.splitfed.internal.aggregate.FedAvg;
import dev.splitfed.internal.aggregate.Krum;
import dev.splitfed.internal.aggregate.Median;
import dev.splitfed.internal.aggregate.NormBound;
import dev.splitfed.internal.aggregate.TrimmedMean;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class RobustAggregatorPropertiesTest {

    private static List<ClientUpdate> random(int n, int d, long seed) {
        Random rng = new Random(seed);
        List<ClientUpdate> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            float[] v = new float[d];
            for (int i = 0; i < d; i++) {
                v[i] = (float) (rng.nextGaussian() * (k == 0 ? 50 : 1));
            }
            out.add(new ClientUpdate(k * 3, v, 1 + rng.nextInt(500)));
        }
        return out;
    }

    private static List<Aggregator> rules() {
        return List.of(new FedAvg(), new Median(), new TrimmedMean(0.2), new Krum(1, null), new Krum(3, null),
                new Bulyan(null), new NormBound(1.5));
    }

    @Property(tries = 60)
    void everyRuleIgnoresArrivalOrder(
            @ForAll @IntRange(min = 1, max = 12) int n, @ForAll @IntRange(min = 1, max = 6) int d, @ForAll long seed) {
        List<ClientUpdate> updates = random(n, d, seed);
        List<ClientUpdate> shuffled = new ArrayList<>(updates);
        Collections.shuffle(shuffled, new Random(seed + 1));
        for (Aggregator rule : rules()) {
            assertThat(rule.aggregate(shuffled)).as(rule.getClass().getSimpleName())
                    .containsExactly(rule.aggregate(updates));
        }
    }

    @Property(tries = 40)
    void identicalUpdatesAggregateToThemselves(
            @ForAll @IntRange(min = 1, max = 12) int n, @ForAll @IntRange(min = 1, max = 6) int d, @ForAll long seed) {
        float[] v = random(1, d, seed).get(0).delta();
        List<ClientUpdate> same = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            same.add(new ClientUpdate(k, v.clone(), 1 + k));
        }
        for (Aggregator rule : List.<Aggregator>of(new Median(), new TrimmedMean(0.3), new Krum(1, null),
                new Krum(2, null), new Bulyan(null))) {
            float[] out = rule.aggregate(same);
            for (int i = 0; i < d; i++) {
                assertThat(out[i]).as(rule.getClass().getSimpleName()).isCloseTo(v[i], within(1e-4f * (1 + Math.abs(v[i]))));
            }
        }
    }

    @Property(tries = 60)
    void trimmedMeanOfZeroIsTheUnweightedMean(
            @ForAll @IntRange(min = 1, max = 12) int n, @ForAll @IntRange(min = 1, max = 6) int d, @ForAll long seed) {
        List<ClientUpdate> updates = random(n, d, seed);
        float[] out = new TrimmedMean(0).aggregate(updates);
        for (int i = 0; i < d; i++) {
            double sum = 0;
            for (ClientUpdate u : updates) {
                sum += u.delta()[i];
            }
            assertThat((double) out[i]).isCloseTo(sum / n, within(1e-4));
        }
    }

    @Property(tries = 60)
    void krumReturnsOneOfTheUpdatesAndMultiKrumOfAllIsTheMean(
            @ForAll @IntRange(min = 3, max = 12) int n, @ForAll @IntRange(min = 1, max = 6) int d, @ForAll long seed) {
        List<ClientUpdate> updates = random(n, d, seed);
        float[] chosen = new Krum(1, null).aggregate(updates);
        assertThat(updates).anySatisfy(u -> assertThat(u.delta()).containsExactly(chosen));
        float[] all = new Krum(n, 0).aggregate(updates);
        float[] mean = new TrimmedMean(0).aggregate(updates);
        for (int i = 0; i < d; i++) {
            assertThat(all[i]).isCloseTo(mean[i], within(1e-4f));
        }
    }

    @Property(tries = 60)
    void coordinateRulesStayWithinTheHonestRangeWhenFewLie(
            @ForAll @IntRange(min = 7, max = 12) int n, @ForAll @IntRange(min = 1, max = 6) int d, @ForAll long seed) {
        // Client 0 (id 0) is the liar, 50 times the spread of the others: with beta >= 1 / n and f >= 1, no
        // rule lets it take any coordinate outside the honest updates' range.
        List<ClientUpdate> updates = random(n, d, seed);
        List<ClientUpdate> honest = updates.subList(1, n);
        for (Aggregator rule : List.<Aggregator>of(new Median(), new TrimmedMean(0.2), new Krum(1, 1), new Bulyan(1))) {
            float[] out = rule.aggregate(updates);
            for (int i = 0; i < d; i++) {
                final int c = i;
                double lo = honest.stream().mapToDouble(u -> u.delta()[c]).min().orElseThrow();
                double hi = honest.stream().mapToDouble(u -> u.delta()[c]).max().orElseThrow();
                assertThat((double) out[i]).as(rule.getClass().getSimpleName()).isBetween(lo - 1e-6, hi + 1e-6);
            }
        }
    }
}
