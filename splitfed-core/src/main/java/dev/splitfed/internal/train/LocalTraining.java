package dev.splitfed.internal.train;

import dev.splitfed.scheme.OptimizerSpec;
import ai.djl.training.optimizer.Optimizer;
import dev.splitfed.data.Dataset;
import dev.splitfed.privacy.DpSgdConfig;
import dev.splitfed.internal.privacy.NoiseSource;
import dev.splitfed.internal.random.Seeds;

/**
 * How a party trains in one round: local epochs, batch size, optimizer, the run seed from which its
 * batch order is drawn, and, if it trains with sample-level differential privacy, DP-SGD's settings
 * and where its noise comes from, and FedProx's proximal coefficient.
 *
 * @param localEpochs passes over the local data per round, {@code >= 1}
 * @param batchSize samples per batch, {@code >= 1}
 * @param optimizer the local optimizer
 * @param seed the run seed
 * @param dpSgd DP-SGD's settings, or null to train without it
 * @param noise where DP-SGD's noise comes from
 * @param proxMu FedProx's mu (Li et al. 2020), {@code >= 0}; 0 for plain local training
 * @param scaffold whether every local step is corrected by SCAFFOLD's control variates
 *     (Karimireddy et al. 2020), which then travel with the weights
 */
public record LocalTraining(
        int localEpochs,
        int batchSize,
        OptimizerSpec optimizer,
        long seed,
        DpSgdConfig dpSgd,
        NoiseSource noise,
        double proxMu,
        boolean scaffold) {

    /** Checks the counts. */
    public LocalTraining {
        if (localEpochs < 1) {
            throw new IllegalArgumentException("localEpochs must be >= 1");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1");
        }
        if (noise == null) {
            throw new IllegalArgumentException("noise must be set");
        }
        if (!(proxMu >= 0) || Double.isInfinite(proxMu)) {
            throw new IllegalArgumentException("proxMu must be finite and >= 0");
        }
    }

    /**
     * Creates training without FedProx or SCAFFOLD.
     *
     * @param localEpochs passes over the local data per round, {@code >= 1}
     * @param batchSize samples per batch, {@code >= 1}
     * @param optimizer the local optimizer
     * @param seed the run seed
     * @param dpSgd DP-SGD's settings, or null to train without it
     * @param noise where DP-SGD's noise comes from
     */
    public LocalTraining(
            int localEpochs, int batchSize, OptimizerSpec optimizer, long seed, DpSgdConfig dpSgd, NoiseSource noise) {
        this(localEpochs, batchSize, optimizer, seed, dpSgd, noise, 0, false);
    }

    /**
     * Creates training without differential privacy.
     *
     * @param localEpochs passes over the local data per round, {@code >= 1}
     * @param batchSize samples per batch, {@code >= 1}
     * @param optimizer the local optimizer
     * @param seed the run seed
     */
    public LocalTraining(int localEpochs, int batchSize, OptimizerSpec optimizer, long seed) {
        this(localEpochs, batchSize, optimizer, seed, null, NoiseSource.seeded(seed), 0, false);
    }

    /**
     * Returns a new optimizer for a round: the configured one, inside FedProx's proximal step when
     * mu is positive ({@link ProximalOptimizer}).
     *
     * @return the optimizer, with fresh state
     */
    public Optimizer newOptimizer() {
        return ProximalOptimizer.of(optimizer, proxMu);
    }

    /**
     * Frees an optimizer's state (momentum buffers, FedProx's anchors) in engine memory. The state
     * lives with the model's parameters, so without this a model kept from round to round would
     * hold one set of buffers for every round it trained.
     *
     * @param optimizer an optimizer from {@link #newOptimizer()} or {@link OptimizerSpec#newOptimizer()}
     */
    public static void release(Optimizer optimizer) {
        if (optimizer instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not free an optimizer's state", e);
            }
        }
    }

    /**
     * Returns the batches of one local epoch of one client in one round. The order depends only on
     * the seed, the client, the round and the epoch, never on the scheme. Under DP-SGD with Poisson
     * sampling they are Poisson-sampled batches instead.
     *
     * @param data the training set
     * @param indices the client's samples
     * @param clientId the client
     * @param round the round
     * @param epoch the local epoch, from 0
     * @return the epoch's batches
     */
    public Batches epoch(Dataset data, int[] indices, int clientId, int round, int epoch) {
        if (dpSgd != null && dpSgd.sampling() == DpSgdConfig.Sampling.POISSON) {
            return Batches.poisson(data, indices, batchSize, Seeds.rng(seed, "poisson", clientId, round, epoch));
        }
        return new Batches(data, indices, batchSize, Seeds.rng(seed, "batches", clientId, round, epoch));
    }
}
