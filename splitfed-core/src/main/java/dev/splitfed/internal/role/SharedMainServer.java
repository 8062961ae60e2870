package dev.splitfed.internal.role;

import dev.splitfed.internal.aggregate.ServerOptimizer;
import dev.splitfed.model.Architecture;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.scheme.OptimizerSpec;

/**
 * The main server of {@code sl} and {@code sflv2}: one W_S, updated batch after batch, whoever sends
 * it (Thapa et al. 2022, Algorithm 2). With private labels it serves one client's batch at a time.
 */
final class SharedMainServer extends SplitMainServer {

    /** The key of the one copy. */
    private static final int SHARED = -1;

    SharedMainServer(Architecture architecture, SplitLayout layout, float[] initialWeights,
            OptimizerSpec optimizerSpec) {
        super(architecture, layout, initialWeights, optimizerSpec, 0);
    }

    @Override
    int copyOf(int clientId) {
        return SHARED;
    }

    /**
     * Refuses the rest of a client's messages in the round; the shared W_S keeps the batches it
     * already trained on.
     *
     * @param clientId the client
     */
    @Override
    public synchronized void discard(int clientId) {
        gate.exclude(clientId);
        dropPending(clientId);
    }

    @Override
    public synchronized void endRound() {
        gate.close();
        ServerCopy shared = copies.get(SHARED);
        if (shared != null) {
            global = shared.model.weights();
        }
        closeCopies();
    }

    @Override
    public ServerOptimizer optimizer() {
        throw new IllegalStateException("one shared W_S is never aggregated, so it has no server optimizer");
    }
}
