package dev.splitfed.internal.scheme;

import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.SimulationConfig;
import dev.splitfed.data.Dataset;
import dev.splitfed.internal.data.LocalHoldout;
import dev.splitfed.data.Partitioner;
import dev.splitfed.internal.random.Seeds;
import org.apache.commons.rng.sampling.PermutationSampler;

/**
 * Which training samples each client of a run holds: its part of the run's partition of the
 * training set (the first {@code limit} samples, or all), less the samples it holds out to evaluate
 * the model it would use ({@code personal-holdout}). The simulation and a deployed client ask
 * here alike, so that a deployed client trains on exactly the samples its in-process twin does.
 */
public final class ClientShares {

    private final Dataset train;
    private final int[][] training;
    private final int[][] holdout;

    private ClientShares(Dataset train, int[][] training, int[][] holdout) {
        this.train = train;
        this.training = training;
        this.holdout = holdout;
    }

    /**
     * Divides a training set as a run's settings say: its first {@code limit} samples among the
     * clients (all to the one party of {@code central}), by the partition drawn from the run
     * seed, each client then holding out its {@code personal-holdout} share.
     *
     * @param config the run
     * @param train the training set, before or after the limit
     * @return the shares
     */
    public static ClientShares of(SimulationConfig config, Dataset train) {
        Dataset used = config.limit() > 0 ? train.head(config.limit()) : train;
        int[][] parts = config.scheme() == Scheme.CENTRAL
                ? new int[][] {PermutationSampler.natural(used.size())}
                : Partitioner.parse(config.partition())
                        .partition(used, config.clients(), Seeds.derive(config.seed(), "partition"));
        if (config.personalHoldout() == 0) {
            return new ClientShares(used, parts, null);
        }
        int[][] held = new int[parts.length][];
        for (int k = 0; k < parts.length; k++) {
            LocalHoldout split = LocalHoldout.of(parts[k], config.personalHoldout(), config.seed(), k);
            parts[k] = split.train();
            held[k] = split.test();
        }
        return new ClientShares(used, parts, held);
    }

    /**
     * Returns the samples a client trains on when it holds a data set of its own (no partition):
     * all of them but those it holds out.
     *
     * @param config the run
     * @param samples how many samples the client holds, at least one
     * @param clientId the client, whose id draws its holdout
     * @return ascending indices into the client's data set
     */
    public static int[] ofOwn(SimulationConfig config, int samples, int clientId) {
        int[] all = PermutationSampler.natural(samples);
        return config.personalHoldout() > 0
                ? LocalHoldout.of(all, config.personalHoldout(), config.seed(), clientId).train()
                : all;
    }

    /** Returns the training set as the run uses it, after the limit. */
    public Dataset train() {
        return train;
    }

    /** Returns, for each client, the ascending indices into {@link #train()} it trains on. */
    public int[][] training() {
        return training;
    }

    /** Returns, for each client, the ascending indices it holds out, or null when none are held out. */
    public int[][] holdout() {
        return holdout;
    }
}
