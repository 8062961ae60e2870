package dev.splitfed.internal.data;

import dev.splitfed.data.Partitioner;
import java.util.Arrays;
import org.apache.commons.rng.sampling.PermutationSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Deals the samples out uniformly at random: every client's data looks like the whole set.
 *
 * <p>The indices are shuffled and cut into {@code K} consecutive parts whose sizes differ by at
 * most one, the IID setting of McMahan et al. 2017 ("Communication-Efficient Learning of Deep
 * Networks from Decentralized Data", AISTATS).
 */
public record IidPartitioner() implements Partitioner {

    /** The spec of this partitioner. */
    public static final String SPEC = "iid";

    @Override
    public int[][] partition(int[] labels, int numClasses, int clients, long seed) {
        PartitionArguments.check(labels, numClasses, clients);
        int[] order = PermutationSampler.natural(labels.length);
        PermutationSampler.shuffle(RandomSource.XO_RO_SHI_RO_128_PP.create(seed), order);
        int[] cuts = PartitionArguments.evenCuts(labels.length, clients);
        int[][] parts = new int[clients][];
        for (int k = 0; k < clients; k++) {
            parts[k] = Arrays.copyOfRange(order, cuts[k], cuts[k + 1]);
            Arrays.sort(parts[k]);
        }
        return parts;
    }

    @Override
    public String spec() {
        return SPEC;
    }
}
