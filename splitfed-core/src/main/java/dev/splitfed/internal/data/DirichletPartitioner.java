package dev.splitfed.internal.data;

import dev.splitfed.data.Partitioner;
import dev.splitfed.InvalidInputException;
import java.math.BigDecimal;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;
import org.apache.commons.rng.sampling.distribution.DirichletSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Splits each class among the clients in proportions drawn from a symmetric Dirichlet distribution.
 *
 * <p>Label skew controlled by one number, after Hsu, Qi &amp; Brown 2019 ("Measuring the Effects of
 * Non-Identical Data Distribution for Federated Visual Classification", arXiv:1909.06335), in the
 * per-class form of Yurochkin et al. 2019 and Li et al. 2022 (NIID-Bench): for each class draw
 * {@code p ~ Dir(ALPHA, ..., ALPHA)} over the {@code K} clients and give client {@code k} the share
 * {@code p_k} of that class's shuffled samples. Large ALPHA gives nearly IID clients; small ALPHA
 * gives each class to few clients. A draw that leaves some client without samples is redrawn, at
 * most {@link #MAX_DRAWS} times.
 *
 * @param alpha the concentration {@code ALPHA}, finite and at least {@link #MIN_ALPHA}
 */
public record DirichletPartitioner(double alpha) implements Partitioner {

    /** The spec's prefix; the spec is {@code dirichlet:ALPHA}. */
    public static final String PREFIX = "dirichlet:";

    /**
     * The smallest accepted ALPHA. Below it the gamma deviates behind a Dirichlet draw underflow to
     * zero so often that drawing stalls, and the partition is one class per client anyway.
     */
    public static final double MIN_ALPHA = 1e-3;

    /** How many draws may leave a client empty before the partition is refused. */
    public static final int MAX_DRAWS = 1000;

    /** Checks that ALPHA is finite and at least {@link #MIN_ALPHA}. */
    public DirichletPartitioner {
        if (!(alpha >= MIN_ALPHA) || Double.isInfinite(alpha)) {
            throw new InvalidInputException(
                    "dirichlet:ALPHA needs a finite ALPHA of at least " + MIN_ALPHA + ", not " + alpha + ".");
        }
    }

    @Override
    public int[][] partition(int[] labels, int numClasses, int clients, long seed) {
        PartitionArguments.check(labels, numClasses, clients);
        if (clients == 1) {
            return new int[][] {PermutationSampler.natural(labels.length)};
        }
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        int[][] byClass = StratifiedSplit.indicesByClass(labels, numClasses);
        for (int[] members : byClass) {
            PermutationSampler.shuffle(rng, members);
        }
        DirichletSampler dirichlet = DirichletSampler.symmetric(rng, clients, alpha);
        for (int draw = 0; draw < MAX_DRAWS; draw++) {
            int[][] cuts = drawCuts(byClass, clients, dirichlet);
            int[] sizes = new int[clients];
            for (int[] classCuts : cuts) {
                for (int k = 0; k < clients; k++) {
                    sizes[k] += classCuts[k + 1] - classCuts[k];
                }
            }
            if (Arrays.stream(sizes).min().orElseThrow() > 0) {
                return assemble(byClass, cuts, sizes);
            }
        }
        throw new InvalidInputException(
                spec() + " left some of the " + clients + " clients without samples in " + MAX_DRAWS
                        + " draws over " + labels.length + " samples; use a larger ALPHA or fewer clients.");
    }

    /** For each class, the positions in its shuffled samples where each client's share starts. */
    private static int[][] drawCuts(int[][] byClass, int clients, DirichletSampler dirichlet) {
        int[][] cuts = new int[byClass.length][clients + 1];
        for (int c = 0; c < byClass.length; c++) {
            double[] p = dirichlet.sample();
            int n = byClass[c].length;
            double cumulative = 0;
            for (int k = 1; k < clients; k++) {
                cumulative += p[k - 1];
                cuts[c][k] = (int) Math.min(n, Math.round(cumulative * n));
            }
            cuts[c][clients] = n;
        }
        return cuts;
    }

    private static int[][] assemble(int[][] byClass, int[][] cuts, int[] sizes) {
        int clients = sizes.length;
        int[][] parts = new int[clients][];
        for (int k = 0; k < clients; k++) {
            parts[k] = new int[sizes[k]];
            int filled = 0;
            for (int c = 0; c < byClass.length; c++) {
                int length = cuts[c][k + 1] - cuts[c][k];
                System.arraycopy(byClass[c], cuts[c][k], parts[k], filled, length);
                filled += length;
            }
            Arrays.sort(parts[k]);
        }
        return parts;
    }

    @Override
    public String spec() {
        return PREFIX + BigDecimal.valueOf(alpha).stripTrailingZeros().toPlainString();
    }
}
