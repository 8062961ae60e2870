package dev.splitfed.train;

import dev.splitfed.data.Dataset;
import dev.splitfed.random.Seeds;

/**
 * How a party trains in one round: local epochs, batch size, optimizer, and the run seed from
 * which its batch order is drawn.
 *
 * @param localEpochs passes over the local data per round, {@code >= 1}
 * @param batchSize samples per batch, {@code >= 1}
 * @param optimizer the local optimizer
 * @param seed the run seed
 */
public record LocalTraining(int localEpochs, int batchSize, OptimizerSpec optimizer, long seed) {

    /** Checks the counts. */
    public LocalTraining {
        if (localEpochs < 1) {
            throw new IllegalArgumentException("localEpochs must be >= 1");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1");
        }
    }

    /**
     * Returns the batches of one local epoch of one client in one round. The order depends only on
     * the seed, the client, the round and the epoch, never on the scheme.
     *
     * @param data the training set
     * @param indices the client's samples
     * @param clientId the client
     * @param round the round
     * @param epoch the local epoch, from 0
     * @return the epoch's batches
     */
    public Batches epoch(Dataset data, int[] indices, int clientId, int round, int epoch) {
        return new Batches(data, indices, batchSize, Seeds.rng(seed, "batches", clientId, round, epoch));
    }
}
