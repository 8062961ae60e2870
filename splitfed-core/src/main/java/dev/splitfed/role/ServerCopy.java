package dev.splitfed.role;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.ModelPart;
import dev.splitfed.train.OptimizerSpec;
import dev.splitfed.train.ProximalOptimizer;

/**
 * A live copy of W_S that trains on a round's (or a FedBuff job's) batches. Its optimizer starts
 * afresh with each client's turn, as a client's own optimizer does (and as the plain-PyTorch
 * reference does for sl and sflv2). With private labels it holds at most one batch whose backward
 * is due, with the graph of its forward.
 */
final class ServerCopy implements AutoCloseable {

    final ModelPart model;
    /** Samples trained on, which weigh the copy in SFLV1's aggregation. */
    long samples;
    /** Optimizer steps taken, which SCAFFOLD's option II divides by. */
    long steps;
    final ForwardBackwardPairing<Graph> pairing = new ForwardBackwardPairing<>();
    private final OptimizerSpec optimizerSpec;
    private final double proxMu;
    private Optimizer optimizer;
    private int serving = -1;

    /** The graph of a forward on the middle, kept for its backward. */
    record Graph(NDManager scope, NDArray input, NDArray output) {}

    /**
     * Creates a copy.
     *
     * @param architecture the whole network
     * @param from the first stage of W_S, the cut
     * @param to the stage after W_S's last
     * @param start the weights it starts from
     * @param optimizerSpec the optimizer of each client's turn
     * @param proxMu FedProx's mu, holding the copy near {@code start}; 0 for none
     */
    ServerCopy(Architecture architecture, int from, int to, float[] start, OptimizerSpec optimizerSpec, double proxMu) {
        this.model = ModelPart.create(architecture, from, to, start);
        this.optimizerSpec = optimizerSpec;
        this.proxMu = proxMu;
    }

    /** Returns the optimizer of the client's turn, fresh if the copy served another client before. */
    Optimizer optimizerFor(int clientId) {
        if (clientId != serving) {
            optimizer = ProximalOptimizer.of(optimizerSpec, proxMu);
            serving = clientId;
        }
        return optimizer;
    }

    /** Drops a batch of the client's whose backward is due, releasing its graph. */
    void dropPending(int clientId) {
        ForwardBackwardPairing.Forward<Graph> pending = pairing.clear(clientId);
        if (pending != null) {
            pending.kept().scope().close();
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
