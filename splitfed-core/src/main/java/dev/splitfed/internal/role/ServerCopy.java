package dev.splitfed.internal.role;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.engine.Shapes;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.train.CrossEntropy;
import dev.splitfed.scheme.OptimizerSpec;
import dev.splitfed.internal.train.LocalTraining;
import dev.splitfed.internal.train.ProximalOptimizer;
import dev.splitfed.internal.transport.Tensor;
import java.nio.FloatBuffer;
import java.util.function.IntFunction;

/**
 * A live copy of W_S that trains on a round's (or a FedBuff job's) batches, which its main server
 * has checked. Its optimizer starts afresh with each client's turn, as a client's own optimizer
 * does (and as the plain-PyTorch reference does for sl and sflv2). With private labels it holds at
 * most one batch whose backward is due, with the graph of its forward.
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
    private final IntFunction<float[]> corrections;
    private Optimizer optimizer;
    private int serving = -1;

    /** The graph of a forward on the middle, kept for its backward. */
    record Graph(NDManager scope, NDArray input, NDArray output) {}

    /**
     * Creates a copy on a model part that already holds the weights it starts from.
     *
     * @param model W_S's stages with the starting weights; the copy owns it until {@link #detach()}
     * @param optimizerSpec the optimizer of each client's turn
     * @param proxMu FedProx's mu, holding the copy near its starting weights; 0 for none
     * @param corrections for a client, what SCAFFOLD adds to its gradients (c_S - c_{S,i}), or null for nothing
     */
    ServerCopy(ModelPart model, OptimizerSpec optimizerSpec, double proxMu, IntFunction<float[]> corrections) {
        this.model = model;
        this.optimizerSpec = optimizerSpec;
        this.proxMu = proxMu;
        this.corrections = corrections;
    }

    /** Trains on a labelled batch and returns the gradient at the cut and the batch loss. */
    StepResult trainLabelled(int clientId, int round, Tensor smashed, int[] labels) {
        int batch = smashed.rows();
        try (NDManager scope = model.manager().newSubManager();
                Torch.GradScope recording = Torch.record()) {
            NDArray input = scope.create(FloatBuffer.wrap(smashed.data()), Shapes.of(smashed.shape()));
            input.setRequiresGradient(true);
            NDArray loss = CrossEntropy.mean(model.forward(input, true), CrossEntropy.labels(scope, labels, batch));
            float lossValue = Payloads.checkLoss(loss.getFloat(), clientId, round);
            Torch.backward(loss, scope.ones(loss.getShape()));
            float[] gradient;
            try (NDArray g = input.getGradient()) {
                gradient = g.toFloatArray();
            }
            trained(clientId, batch);
            return new StepResult(new Tensor(smashed.shape(), gradient), lossValue);
        }
    }

    /**
     * Runs the middle forward on a batch of smashed data (private labels) and keeps its graph for
     * the batch's {@link #backward}.
     *
     * @throws InvalidInputException if a backward is due first, or the output is not finite
     */
    Tensor forward(int clientId, int round, Tensor smashed) {
        pairing.checkForward(clientId);
        NDManager scope = model.manager().newSubManager();
        try (Torch.GradScope recording = Torch.record()) {
            NDArray input = scope.create(FloatBuffer.wrap(smashed.data()), Shapes.of(smashed.shape()));
            input.setRequiresGradient(true);
            NDArray output = model.forward(input, true);
            float[] values = output.toFloatArray();
            if (!Payloads.allFinite(values)) {
                throw new InvalidInputException("training diverged: the middle layers' output for client " + clientId
                        + " in round " + round + " holds NaN or infinite values; try a smaller learning rate ({lr})");
            }
            int[] shape = Shapes.toInts(output.getShape());
            pairing.forwarded(clientId, smashed.shape(), shape, new Graph(scope, input, output));
            return new Tensor(shape, values);
        } catch (RuntimeException e) {
            scope.close();
            throw e;
        }
    }

    /**
     * Back-propagates the gradient at the middle's output through the client's pending batch,
     * trains on it and returns the cut-layer gradient.
     *
     * @param clientId the client whose backward is due, as {@link ForwardBackwardPairing#due} says
     * @param gradient of the shape the forward returned, finite
     */
    Tensor backward(int clientId, Tensor gradient) {
        ForwardBackwardPairing.Forward<Graph> pending = pairing.clear(clientId);
        Graph graph = pending.kept();
        try (NDManager scope = graph.scope()) {
            NDArray g = scope.create(FloatBuffer.wrap(gradient.data()), graph.output().getShape());
            Torch.backward(graph.output(), g);
            float[] cutGradient;
            try (NDArray d = graph.input().getGradient()) {
                cutGradient = d.toFloatArray();
            }
            trained(clientId, gradient.rows());
            return new Tensor(pending.smashedShape(), cutGradient);
        }
    }

    /**
     * Steps the copy with the batch's gradients: as they are, or with SCAFFOLD corrected to
     * g - c_{S,i} + c_S (Karimireddy et al. 2020, Algorithm 1, line 10).
     */
    private void trained(int clientId, int rows) {
        steps++;
        float[] correction = corrections.apply(clientId);
        if (correction == null) {
            model.step(optimizerFor(clientId));
        } else {
            float[] gradient = model.gradients();
            model.clearGradients();
            for (int j = 0; j < gradient.length; j++) {
                gradient[j] += correction[j];
            }
            model.step(optimizerFor(clientId), gradient);
        }
        samples += rows;
    }

    private Optimizer optimizerFor(int clientId) {
        if (clientId != serving) {
            if (optimizer != null) {
                LocalTraining.release(optimizer);
            }
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

    /**
     * Ends the copy and hands back its model part for another copy: frees the optimizer's state
     * and a pending batch's graph and clears the gradients. The weights are left as they are.
     *
     * @return the model part, which the caller now owns
     */
    ModelPart detach() {
        if (optimizer != null) {
            LocalTraining.release(optimizer);
            optimizer = null;
        }
        ForwardBackwardPairing.Forward<Graph> pending = pairing.clearAny();
        if (pending != null) {
            pending.kept().scope().close();
        }
        model.clearGradients();
        return model;
    }

    @Override
    public void close() {
        detach().close();
    }
}
