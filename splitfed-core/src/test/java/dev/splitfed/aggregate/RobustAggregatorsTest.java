package dev.splitfed.aggregate;

import dev.splitfed.internal.aggregate.Bulyan;
import dev.splitfed.internal.aggregate.Krum;
import dev.splitfed.internal.aggregate.Median;
import dev.splitfed.internal.aggregate.NormBound;
import dev.splitfed.internal.aggregate.TrimmedMean;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every robust rule on small cases worked out by hand. The five two-dimensional updates
 * a = (0, 0), b = (1, 0), c = (0, 2), d = (1, 1) and the outlier e = (10, 10), clients 0 to 4,
 * have the squared distances ab 1, ac 4, ad 2, ae 200, bc 5, bd 1, be 181, cd 2, ce 164, de 162.
 */
class RobustAggregatorsTest {

    private static final float[][] FIVE = {{0, 0}, {1, 0}, {0, 2}, {1, 1}, {10, 10}};

    private static List<ClientUpdate> updates(float[][] vectors) {
        List<ClientUpdate> out = new ArrayList<>();
        for (int k = 0; k < vectors.length; k++) {
            // Sample counts that would pull a weighted mean far off: robust rules must ignore them.
            out.add(new ClientUpdate(k, vectors[k], 1 + 100L * k));
        }
        return out;
    }

    private static void assertVector(float[] actual, double... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("coordinate " + i).isCloseTo(expected[i], within(1e-6));
        }
    }

    @Test
    void medianTakesTheMiddleValueOfEachCoordinate() {
        // x: 0 0 1 1 10 -> 1; y: 0 0 1 2 10 -> 1.
        assertVector(new Median().aggregate(updates(FIVE)), 1, 1);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        // x: 0 1 1 10 -> (1 + 1) / 2; y: 0 0 1 2 -> (0 + 1) / 2.
        assertVector(new Median().aggregate(updates(new float[][] {{0, 0}, {1, 0}, {10, 2}, {1, 1}})), 1, 0.5);
    }

    @Test
    void trimmedMeanDropsFloorBetaNAtEachEnd() {
        // beta 0.2 of 5 drops 1 at each end: x 0 [0 1 1] 10 -> 2/3; y 0 [0 1 2] 10 -> 1.
        assertVector(new TrimmedMean(0.2).aggregate(updates(FIVE)), 2.0 / 3, 1);
        // beta 0.3 of 5: floor(1.5) = 1, the same.
        assertVector(new TrimmedMean(0.3).aggregate(updates(FIVE)), 2.0 / 3, 1);
        // beta 0.4 of 5 drops 2 at each end: the median.
        assertVector(new TrimmedMean(0.4).aggregate(updates(FIVE)), 1, 1);
        assertThat(new TrimmedMean(0.29).trimmed(100)).isEqualTo(29);
    }

    @Test
    void trimmedMeanOfZeroIsTheUnweightedMean() {
        // (0 + 1 + 0 + 1 + 10) / 5, (0 + 0 + 2 + 1 + 10) / 5.
        assertVector(new TrimmedMean(0).aggregate(updates(FIVE)), 2.4, 2.6);
    }

    @Test
    void krumPicksTheUpdateClosestToItsNearestOthers() {
        // n = 5 tolerates f = 1; each score sums the n - f - 2 = 2 smallest squared distances:
        // a 1 + 2 = 3, b 1 + 1 = 2, c 2 + 4 = 6, d 1 + 2 = 3, e 162 + 164 = 326. b wins.
        assertVector(new Krum(1, null).aggregate(updates(FIVE)), 1, 0);
        assertVector(new Krum(1, 1).aggregate(updates(FIVE)), 1, 0);
    }

    @Test
    void krumWithFZeroScoresAgainstThreeNeighbours() {
        // 3 nearest: a 1 + 2 + 4 = 7, b 1 + 1 + 5 = 7, c 2 + 4 + 5 = 11, d 1 + 2 + 2 = 5, e 507. d wins.
        assertVector(new Krum(1, 0).aggregate(updates(FIVE)), 1, 1);
    }

    @Test
    void multiKrumAveragesTheBestScored() {
        // Ranking b (2), a (3), d (3; the tie goes to the lower id), c (6), e: mean of b, a, d.
        assertVector(new Krum(3, null).aggregate(updates(FIVE)), 2.0 / 3, 1.0 / 3);
        // Four best: b, a, d, c.
        assertVector(new Krum(4, 1).aggregate(updates(FIVE)), 0.5, 0.75);
    }

    @Test
    void krumLowersAnFTheRoundCannotTolerate() {
        // f = 2 needs 7 updates; 5 tolerate f = 1, which picks b as above.
        assertVector(new Krum(1, 2).aggregate(updates(FIVE)), 1, 0);
    }

    @Test
    void distanceRulesFallBackToTheMedianBelowThreeUpdates() {
        float[][] two = {{0, 4}, {2, 0}};
        assertVector(new Krum(1, null).aggregate(updates(two)), 1, 2);
        assertVector(new Krum(2, 0).aggregate(updates(two)), 1, 2);
        assertVector(new Bulyan(null).aggregate(updates(two)), 1, 2);
        assertVector(new Bulyan(0).aggregate(updates(new float[][] {{3, -1}})), 3, -1);
    }

    @Test
    void bulyanSelectsByIteratedKrumThenAveragesAroundTheMedian() {
        // Values 0 1 2 3 4 5 100 (clients 0..6), n = 7, f = 1: theta = 5 selected, beta = 3 averaged.
        // |R| 7, 4 nearest: scores 0:30 1:15 2:10 3:10 4:15 5:30 -> 2 (tie with 3, lower id).
        // |R| 6, 3 nearest: 0:26 1:14 3:9 4:11 5:21 -> 3.
        // |R| 5, 2 nearest: 0:17 1:10 4:10 5:17 -> 1.
        // |R| 4, 1 nearest: 0:16 4:1 5:1 -> 4.
        // |R| 3, 1 nearest: 0:25 5:25 -> 0.
        float[][] values = {{0}, {1}, {2}, {3}, {4}, {5}, {100}};
        assertThat(Bulyan.select(values, 1)).containsExactly(2, 3, 1, 4, 0);
        // Selected 0 1 2 3 4: the 3 closest to the median 2 are 2, 1, 3 -> mean 2.
        assertVector(new Bulyan(null).aggregate(updates(values)), 2);
        assertVector(new Bulyan(1).aggregate(updates(values)), 2);
    }

    @Test
    void bulyanAveragesTheValuesClosestToTheMedian() {
        // Median 2; then 2.5 (0.5 away) before 1 (1 away): (2 + 2.5 + 1) / 3.
        assertThat((double) Bulyan.closestMean(new float[] {0, 1, 2, 2.5f, 10}, 3)).isCloseTo(5.5 / 3, within(1e-6));
        // Median 5 between 4 and 6, equally near: 4 first, then 6 (1 away) before 0 (5 away).
        assertThat(Bulyan.closestMean(new float[] {0, 4, 6, 7}, 2)).isEqualTo(5f);
        // Median 2; 1 and 3 equally near: 1 then 3.
        assertThat(Bulyan.closestMean(new float[] {0, 1, 2, 3, 10}, 2)).isEqualTo(1.5f);
    }

    @Test
    void bulyanWithFZeroIsTheMean() {
        // 5 updates tolerate f = 0 only: theta = beta = 5, every value averaged.
        assertVector(new Bulyan(null).aggregate(updates(FIVE)), 2.4, 2.6);
    }

    @Test
    void normBoundClipsEachUpdateThenWeightsBySamples() {
        // (3, 4) has norm 5 -> (1.2, 1.6) at C = 2; (0, 1) keeps its norm 1.
        // (1 * (1.2, 1.6) + 3 * (0, 1)) / 4 = (0.3, 1.15).
        List<ClientUpdate> updates = List.of(
                new ClientUpdate(0, new float[] {3, 4}, 1), new ClientUpdate(1, new float[] {0, 1}, 3));
        assertVector(new NormBound(2).aggregate(updates), 0.3, 1.15);
    }

    @Test
    void robustRulesIgnoreSampleCounts() {
        List<ClientUpdate> light = List.of(new ClientUpdate(0, new float[] {0}, 1),
                new ClientUpdate(1, new float[] {1}, 1), new ClientUpdate(2, new float[] {5}, 1));
        List<ClientUpdate> heavy = List.of(new ClientUpdate(0, new float[] {0}, 1),
                new ClientUpdate(1, new float[] {1}, 1), new ClientUpdate(2, new float[] {5}, 1000));
        for (Aggregator rule : List.of(new Median(), new TrimmedMean(0), new Krum(2, 0), new Bulyan(0))) {
            assertThat(rule.aggregate(heavy)).as(rule.getClass().getSimpleName()).containsExactly(rule.aggregate(light));
        }
        assertVector(new TrimmedMean(0).aggregate(heavy), 2);
    }
}
