package dev.splitfed.internal.data;

import static dev.splitfed.internal.data.PartitionAssertions.assertEverySampleExactlyOnce;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class IidPartitionerTest {

    @Property(tries = 200)
    void everySampleLandsExactlyOnceAndSizesDifferByAtMostOne(
            @ForAll @IntRange(min = 1, max = 3000) int n,
            @ForAll @IntRange(min = 1, max = 60) int clients,
            @ForAll long seed) {
        int k = Math.min(clients, n);
        int[] labels = PartitionAssertions.randomLabels(n, 10, seed);

        int[][] parts = new IidPartitioner().partition(labels, 10, k, seed);

        assertEverySampleExactlyOnce(parts, n, k);
        int[] sizes = Arrays.stream(parts).mapToInt(p -> p.length).toArray();
        assertThat(Arrays.stream(sizes).max().orElseThrow() - Arrays.stream(sizes).min().orElseThrow())
                .isLessThanOrEqualTo(1);
    }

    @Property(tries = 50)
    void sameSeedGivesSamePartition(@ForAll long seed) {
        int[] labels = PartitionAssertions.balancedLabels(500, 10);

        assertThat(new IidPartitioner().partition(labels, 10, 7, seed))
                .isDeepEqualTo(new IidPartitioner().partition(labels, 10, 7, seed));
    }

    @Test
    void differentSeedsGiveDifferentPartitions() {
        int[] labels = PartitionAssertions.balancedLabels(500, 10);

        assertThat(new IidPartitioner().partition(labels, 10, 5, 1)[0])
                .isNotEqualTo(new IidPartitioner().partition(labels, 10, 5, 2)[0]);
    }

    @Test
    void sevenSamplesOverThreeClientsGiveSizesTwoTwoThree() {
        int[][] parts = new IidPartitioner().partition(new int[7], 1, 3, 9);

        assertThat(Arrays.stream(parts).mapToInt(p -> p.length)).containsExactly(2, 2, 3);
    }
}
