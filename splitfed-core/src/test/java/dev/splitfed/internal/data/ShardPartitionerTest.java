package dev.splitfed.internal.data;

import dev.splitfed.data.ClassHistogram;
import static dev.splitfed.internal.data.PartitionAssertions.assertEverySampleExactlyOnce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ShardPartitionerTest {

    @Property(tries = 200)
    void everySampleLandsExactlyOnceInNShardsPerClient(
            @ForAll @IntRange(min = 1, max = 3000) int n,
            @ForAll @IntRange(min = 1, max = 40) int clients,
            @ForAll @IntRange(min = 1, max = 5) int shardsPerClient,
            @ForAll long seed) {
        int k = Math.max(1, Math.min(clients, n / shardsPerClient));
        int perClient = Math.min(shardsPerClient, n / k);
        int[] labels = PartitionAssertions.randomLabels(n, 10, seed);

        int[][] parts = new ShardPartitioner(perClient).partition(labels, 10, k, seed);

        assertEverySampleExactlyOnce(parts, n, k);
        // Shards hold floor or ceil of n / (k * N) samples; N of them make a client's part.
        int shards = k * perClient;
        int[] rank = labelSortedRank(labels);
        for (int[] part : parts) {
            assertThat(part.length).isBetween(perClient * (n / shards), perClient * ((n + shards - 1) / shards));
            // In label-sorted order a client's samples form at most N runs, one per shard.
            int[] ranks = Arrays.stream(part).map(i -> rank[i]).sorted().toArray();
            int runs = 1;
            for (int j = 1; j < ranks.length; j++) {
                if (ranks[j] != ranks[j - 1] + 1) {
                    runs++;
                }
            }
            assertThat(runs).isLessThanOrEqualTo(perClient);
        }
    }

    @Property(tries = 50)
    void sameSeedGivesSamePartition(@ForAll long seed) {
        int[] labels = PartitionAssertions.randomLabels(600, 10, 3);

        assertThat(new ShardPartitioner(2).partition(labels, 10, 10, seed))
                .isDeepEqualTo(new ShardPartitioner(2).partition(labels, 10, 10, seed));
    }

    @Test
    void twoShardsPerClientOfBalancedTenClassesGiveAtMostTwoClassesEach() {
        // 6,000 samples, 600 per class; 10 clients x 2 shards = 20 shards of 300, never straddling two classes.
        int[] labels = PartitionAssertions.balancedLabels(6_000, 10);

        int[][] parts = new ShardPartitioner(2).partition(labels, 10, 10, 42);
        ClassHistogram histogram = ClassHistogram.of(parts, labels, 10);

        for (int k = 0; k < 10; k++) {
            assertThat(parts[k]).hasSize(600);
            long classes = Arrays.stream(histogram.counts()[k]).filter(c -> c > 0).count();
            assertThat(classes).isBetween(1L, 2L);
            assertThat(Arrays.stream(histogram.counts()[k]).filter(c -> c > 0)).allMatch(c -> c == 300 || c == 600);
        }
    }

    @Test
    void moreShardsThanSamplesIsRejected() {
        assertThatThrownBy(() -> new ShardPartitioner(3).partition(new int[10], 1, 4, 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("shards:3 with 4 clients needs 12 shards of at least one sample, "
                        + "but only 10 training samples are available.");
    }

    /** Position of each sample when sorted stably by label. */
    private static int[] labelSortedRank(int[] labels) {
        int[] rank = new int[labels.length];
        int next = 0;
        for (int c = 0; c < 10; c++) {
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    rank[i] = next++;
                }
            }
        }
        return rank;
    }
}
