package dev.splitfed.internal.role;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.optimizer.Optimizer;
import dev.splitfed.InvalidInputException;
import dev.splitfed.data.Dataset;
import dev.splitfed.internal.engine.Shapes;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.model.Architecture;
import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.train.Batches;
import dev.splitfed.internal.train.LocalTraining;
import dev.splitfed.internal.transport.Tensor;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A client of {@code sl}, {@code sflv1} and {@code sflv2}: it holds the client-side layers W_C,
 * sends smashed data and labels to the main server, finishes backpropagation with the cut-layer
 * gradient it gets back, and hands W_C to the fed server at the end of the round.
 */
public final class SplitClient extends LocalClient<ModelPart> {

    private final Architecture architecture;
    private final int cut;
    private final MainServer mainServer;

    /**
     * Creates a client.
     *
     * @param id the client's id
     * @param data the data set its indices point into
     * @param indices the samples this client holds
     * @param architecture the whole network
     * @param cut the cut; the client holds stages {@code [0, cut)}
     * @param training local epochs, batch size, optimizer, seed
     * @param fedServer where W_C comes from and goes back to
     * @param mainServer where smashed data goes
     * @param progress told after every batch
     */
    public SplitClient(
            int id,
            Dataset data,
            int[] indices,
            Architecture architecture,
            int cut,
            LocalTraining training,
            FedServer fedServer,
            MainServer mainServer,
            ProgressListener progress) {
        super(id, data, indices, training, fedServer, progress);
        this.architecture = architecture;
        this.cut = architecture.checkCut(cut);
        this.mainServer = mainServer;
    }

    @Override
    ModelPart newModel() {
        return ModelPart.create(architecture, 0, cut);
    }

    @Override
    void trained(int round) {
        mainServer.finished(id, round);
    }

    @Override
    float trainBatch(ModelPart model, Optimizer optimizer, Batches batches, int round) {
        if (privately()) {
            return trainPrivately(model, optimizer, batches, round);
        }
        try (NDManager scope = model.manager().newSubManager();
                Torch.GradScope recording = Torch.record()) {
            NDArray activations = model.forward(batches.features(scope), true);
            int[] shape = Shapes.toInts(activations.getShape());
            float[] values = Payloads.checkConverging("activations at the cut", activations.toFloatArray(), id, round);
            StepResult answer = exchange(new Tensor(shape, values), batches, round);
            NDArray gradient =
                    scope.create(FloatBuffer.wrap(answer.cutGradient().data()), activations.getShape());
            Torch.backward(activations, gradient);
            step(model, optimizer);
            return answer.loss();
        }
    }

    /**
     * DP-SGD on the client-side layers: the batch goes to the main server as usual, and the cut
     * gradient it returns is back-propagated row by row, so that each sample's gradient of W_C can
     * be clipped on its own. The server's gradient is of the batch's mean loss; times the batch size,
     * row i is the gradient of sample i's own loss.
     */
    private float trainPrivately(ModelPart model, Optimizer optimizer, Batches batches, int round) {
        if (batches.size() == 0) {
            return privateStep(model, optimizer, batches, row -> 0);
        }
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray features = batches.features(scope);
            NDArray activations;
            try (Torch.GradScope paused = Torch.pause()) {
                activations = model.forward(features, true);
            }
            int[] shape = Shapes.toInts(activations.getShape());
            float[] values = Payloads.checkConverging("activations at the cut", activations.toFloatArray(), id, round);
            StepResult answer = exchange(new Tensor(shape, values), batches, round);
            NDArray gradient = scope.create(FloatBuffer.wrap(answer.cutGradient().data()), activations.getShape())
                    .muli(batches.size());
            try (Torch.GradScope recording = Torch.record()) {
                privateStep(model, optimizer, batches, row -> {
                    try (NDManager sample = scope.newSubManager()) {
                        NDIndex one = new NDIndex("{}:{}", row, row + 1);
                        NDArray x = features.get(one);
                        NDArray g = gradient.get(one);
                        x.attach(sample);
                        g.attach(sample);
                        Torch.backward(model.forward(x, true), g);
                        return answer.loss();
                    }
                });
            }
            return answer.loss();
        }
    }

    /** Sends a batch's smashed data and labels and checks the cut-layer gradient that comes back. */
    private StepResult exchange(Tensor smashed, Batches batches, int round) {
        StepResult answer = mainServer.step(id, round, smashed, batches.labelsCopy());
        if (!Arrays.equals(answer.cutGradient().shape(), smashed.shape())) {
            throw new InvalidInputException(
                    "the main server returned a cut gradient of shape "
                            + Arrays.toString(answer.cutGradient().shape()) + " for activations of shape "
                            + Arrays.toString(smashed.shape()));
        }
        Payloads.checkFinite("the main server", "a cut-layer gradient", answer.cutGradient().data());
        return answer;
    }
}
