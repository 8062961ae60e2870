package dev.splitfed.internal.data;

import dev.splitfed.data.ClassHistogram;
import dev.splitfed.data.Partitioner;
import static dev.splitfed.internal.data.PartitionAssertions.assertEverySampleExactlyOnce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DirichletPartitionerTest {

    private static final int[] BALANCED = PartitionAssertions.balancedLabels(3_000, 10);

    @Property(tries = 150)
    void everySampleLandsExactlyOnce(
            @ForAll @IntRange(min = 1, max = 3000) int n,
            @ForAll @IntRange(min = 1, max = 20) int clients,
            @ForAll @DoubleRange(min = 0.3, max = 100) double alpha,
            @ForAll long seed) {
        // At least 100 samples per client keeps empty clients rare enough for the redraws to fix.
        int k = Math.max(1, Math.min(clients, n / 100));
        int[] labels = PartitionAssertions.randomLabels(n, 10, seed);

        int[][] parts = new DirichletPartitioner(alpha).partition(labels, 10, k, seed);

        assertEverySampleExactlyOnce(parts, n, k);
    }

    @Property(tries = 50)
    void sameSeedGivesSamePartition(@ForAll long seed, @ForAll @DoubleRange(min = 0.05, max = 10) double alpha) {
        assertThat(new DirichletPartitioner(alpha).partition(BALANCED, 10, 8, seed))
                .isDeepEqualTo(new DirichletPartitioner(alpha).partition(BALANCED, 10, 8, seed));
    }

    @Property(tries = 100)
    void skewGrowsAsAlphaShrinks(
            @ForAll @DoubleRange(min = 0.05, max = 1) double smallAlpha,
            @ForAll @DoubleRange(min = 10, max = 100) double factor,
            @ForAll @IntRange(min = 5, max = 10) int clients,
            @ForAll long seed) {
        double small = skew(new DirichletPartitioner(smallAlpha), clients, seed);
        double large = skew(new DirichletPartitioner(smallAlpha * factor), clients, seed);

        assertThat(small).isGreaterThan(large);
    }

    @Test
    void skewIsNearZeroForLargeAlphaAndHighForSmall() {
        assertThat(skew(new DirichletPartitioner(1000), 5, 1)).isLessThan(0.05);
        assertThat(skew(new DirichletPartitioner(0.05), 5, 1)).isGreaterThan(0.5);
    }

    @Test
    void oneClientGetsEverySample() {
        int[][] parts = new DirichletPartitioner(0.1).partition(new int[] {1, 0, 1}, 2, 1, 5);

        assertThat(parts).isDeepEqualTo(new int[][] {{0, 1, 2}});
    }

    @Test
    void tinyAlphaWithManyClientsGivesUpWithAdvice() {
        // With ALPHA = 0.001 each class goes to one client, so 2 classes can never cover 5 clients.
        int[] labels = PartitionAssertions.balancedLabels(100, 2);

        assertThatThrownBy(() -> new DirichletPartitioner(0.001).partition(labels, 2, 5, 3))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("dirichlet:0.001 left some of the 5 clients without samples in 1000 draws over 100 samples;"
                        + " use a larger ALPHA or fewer clients.");
    }

    private static double skew(Partitioner partitioner, int clients, long seed) {
        return ClassHistogram.of(partitioner.partition(BALANCED, 10, clients, seed), BALANCED, 10).skew();
    }
}
