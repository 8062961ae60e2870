package dev.splitfed.internal.role;

import dev.splitfed.internal.aggregate.Aggregation;
import dev.splitfed.internal.aggregate.FedBuff;
import dev.splitfed.internal.aggregate.ServerOptimizer;
import dev.splitfed.model.Architecture;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.scheme.OptimizerSpec;
import java.util.List;

/**
 * SFLV1's main server under asynchronous buffered aggregation (FedBuff; Nguyen et al. 2022): there
 * are no rounds, but jobs. A client's copy of W_S starts from the W_S of its job's start, and when
 * the job is done its update is buffered and applied with the others' ({@link FedBuff}), as the
 * fed server does with W_C.
 */
final class BufferedMainServer extends SplitMainServer implements AsyncControl {

    private final Aggregation aggregation;
    private final FedBuff fedBuff;

    BufferedMainServer(Architecture architecture, SplitLayout layout, float[] initialWeights,
            OptimizerSpec optimizerSpec, Aggregation aggregation, double proxMu, double lr) {
        super(architecture, layout, initialWeights, optimizerSpec, proxMu);
        this.aggregation = aggregation;
        this.fedBuff = new FedBuff(lr);
    }

    @Override
    int copyOf(int clientId) {
        return clientId;
    }

    /** Checks a message's job, which takes a round's place, and returns the W_S the job started from. */
    @Override
    float[] admit(int clientId, int job) {
        return fedBuff.startWeights(clientId, job);
    }

    @Override
    public synchronized void start(int clientId, int job) {
        discardCopy(clientId);
        fedBuff.start(clientId, job, global);
    }

    @Override
    public synchronized void arrived(int clientId) {
        ServerCopy copy = copies.remove(clientId);
        if (copy == null || copy.samples == 0) {
            fedBuff.forget(clientId);
        } else {
            fedBuff.arrived(clientId, copy.model.weights(), copy.samples);
        }
        if (copy != null) {
            end(copy);
        }
    }

    @Override
    public synchronized void step() {
        global = fedBuff.step(global, aggregation);
    }

    /**
     * Ends a client's job without buffering its work.
     *
     * @param clientId the client
     */
    @Override
    public synchronized void discard(int clientId) {
        fedBuff.forget(clientId);
        discardCopy(clientId);
    }

    @Override
    public void beginRound(int round, List<Integer> participants) {
        throw new IllegalStateException("this main server aggregates asynchronously, not in rounds");
    }

    @Override
    public void endRound() {
        throw new IllegalStateException("this main server aggregates asynchronously, not in rounds");
    }

    @Override
    void optimizerRestarted() {
        aggregation.optimizer().restore(new float[0]);
    }

    @Override
    public ServerOptimizer optimizer() {
        return aggregation.optimizer();
    }
}
