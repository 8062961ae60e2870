package dev.splitfed.scheme;

import dev.splitfed.internal.train.Batches;
import java.util.List;

/** What each client trains in a whole round: the samples it holds and its batches over all local epochs. */
final class ClientWorkload {

    private final int[][] partition;
    private final int batchSize;
    private final int localEpochs;

    /**
     * Creates the workload of a run.
     *
     * @param partition each client's training samples
     * @param batchSize the batch size
     * @param localEpochs the passes a client makes over its samples in a round
     */
    ClientWorkload(int[][] partition, int batchSize, int localEpochs) {
        this.partition = partition;
        this.batchSize = batchSize;
        this.localEpochs = localEpochs;
    }

    /** Returns the number of clients. */
    int clients() {
        return partition.length;
    }

    /** Returns the training samples a client holds. */
    int samples(int clientId) {
        return partition[clientId].length;
    }

    /** Returns the training samples each listed client holds, in the list's order. */
    int[] samples(List<Integer> clientIds) {
        return clientIds.stream().mapToInt(this::samples).toArray();
    }

    /** Returns the batches a client trains in a whole round: one pass over its samples per local epoch. */
    long fullBatches(int clientId) {
        return (long) Batches.count(samples(clientId), batchSize) * localEpochs;
    }
}
