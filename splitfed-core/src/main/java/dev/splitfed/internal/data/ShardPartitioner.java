package dev.splitfed.internal.data;

import dev.splitfed.data.Partitioner;
import dev.splitfed.InvalidInputException;
import java.util.Arrays;
import org.apache.commons.rng.sampling.PermutationSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Gives each client a few label-sorted shards, so that each client sees only a few classes.
 *
 * <p>The pathological non-IID split of McMahan et al. 2017 ("Communication-Efficient Learning of
 * Deep Networks from Decentralized Data", AISTATS): sort the samples by label (stably, so ties keep
 * their index order), cut them into {@code K * N} shards whose sizes differ by at most one, and
 * give each of the {@code K} clients {@code N} shards chosen at random. With 60,000 samples,
 * {@code K = 100} and {@code N = 2} this is the paper's 200 shards of 300 images.
 *
 * @param shardsPerClient {@code N}, the number of shards each client gets, {@code >= 1}
 */
public record ShardPartitioner(int shardsPerClient) implements Partitioner {

    /** The spec's prefix; the spec is {@code shards:N}. */
    public static final String PREFIX = "shards:";

    /** Checks that {@code N >= 1}. */
    public ShardPartitioner {
        if (shardsPerClient < 1) {
            throw new InvalidInputException(
                    "shards:N needs N >= 1 shards per client, not " + shardsPerClient + ".");
        }
    }

    @Override
    public int[][] partition(int[] labels, int numClasses, int clients, long seed) {
        PartitionArguments.check(labels, numClasses, clients);
        long shards = (long) clients * shardsPerClient;
        if (shards > labels.length) {
            throw new InvalidInputException(
                    spec() + " with " + clients + " clients needs " + shards
                            + " shards of at least one sample, but only " + labels.length
                            + " training samples are available.");
        }
        int[] byLabel = Arrays.stream(StratifiedSplit.indicesByClass(labels, numClasses))
                .flatMapToInt(Arrays::stream)
                .toArray();
        int[] cuts = PartitionArguments.evenCuts(byLabel.length, (int) shards);
        int[] shardOrder = PermutationSampler.natural((int) shards);
        PermutationSampler.shuffle(RandomSource.XO_RO_SHI_RO_128_PP.create(seed), shardOrder);
        int[][] parts = new int[clients][];
        for (int k = 0; k < clients; k++) {
            int size = 0;
            for (int s = k * shardsPerClient; s < (k + 1) * shardsPerClient; s++) {
                size += cuts[shardOrder[s] + 1] - cuts[shardOrder[s]];
            }
            parts[k] = new int[size];
            int filled = 0;
            for (int s = k * shardsPerClient; s < (k + 1) * shardsPerClient; s++) {
                int shard = shardOrder[s];
                int length = cuts[shard + 1] - cuts[shard];
                System.arraycopy(byLabel, cuts[shard], parts[k], filled, length);
                filled += length;
            }
            Arrays.sort(parts[k]);
        }
        return parts;
    }

    @Override
    public String spec() {
        return PREFIX + shardsPerClient;
    }
}
