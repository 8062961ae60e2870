package dev.splitfed.role;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import dev.splitfed.InvalidInputException;
import dev.splitfed.data.Dataset;
import dev.splitfed.engine.Shapes;
import dev.splitfed.engine.Torch;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.ModelPart;
import dev.splitfed.train.Batches;
import dev.splitfed.train.LocalTraining;
import dev.splitfed.transport.Tensor;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A client of {@code sl}, {@code sflv1} and {@code sflv2}: it holds the client-side layers W_C,
 * sends smashed data and labels to the main server, finishes backpropagation with the cut-layer
 * gradient it gets back, and hands W_C to the fed server at the end of the round.
 *
 * <p>Between rounds it holds no engine memory: W_C lives only while the client trains.
 */
public final class SplitClient implements Client {

    private final int id;
    private final Dataset data;
    private final int[] indices;
    private final Architecture architecture;
    private final int cut;
    private final LocalTraining training;
    private final FedServer fedServer;
    private final MainServer mainServer;
    private final ProgressListener progress;

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
        if (indices.length == 0) {
            throw new IllegalArgumentException("client " + id + " holds no samples");
        }
        this.id = id;
        this.data = data;
        this.indices = indices.clone();
        this.architecture = architecture;
        this.cut = architecture.checkCut(cut);

        this.training = training;
        this.fedServer = fedServer;
        this.mainServer = mainServer;
        this.progress = progress;
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public int samples() {
        return indices.length;
    }

    @Override
    public ClientReport train(int round) {
        float[] start = fedServer.download(id, round);
        long seen = 0;
        double lossSum = 0;
        try (ModelPart model = ModelPart.create(architecture, 0, cut)) {
            model.setWeights(Payloads.checkWeights("the fed server", start, model.size()));
            Optimizer optimizer = training.optimizer().newOptimizer();
            for (int epoch = 0; epoch < training.localEpochs(); epoch++) {
                Batches batches = training.epoch(data, indices, id, round, epoch);
                while (batches.next()) {
                    lossSum += (double) trainBatch(model, optimizer, batches, round) * batches.size();
                    seen += batches.size();
                    progress.batchDone();
                }
            }
            fedServer.submit(id, round, Payloads.checkTrained(model.weights(), id, round), indices.length);
        }
        return new ClientReport(id, seen, lossSum);
    }

    private float trainBatch(ModelPart model, Optimizer optimizer, Batches batches, int round) {
        try (NDManager scope = model.manager().newSubManager();
                Torch.GradScope recording = Torch.record()) {
            NDArray activations = model.forward(batches.features(scope), true);
            int[] shape = Shapes.toInts(activations.getShape());
            float[] values = activations.toFloatArray();
            if (!allFinite(values)) {
                throw new InvalidInputException(
                        "training diverged: client " + id + "'s activations at the cut in round " + round
                                + " hold NaN or infinite values; try a smaller learning rate (--lr)");
            }
            Tensor smashed = new Tensor(shape, values);
            StepResult answer = mainServer.step(id, round, smashed, batches.labelsCopy());
            if (!Arrays.equals(answer.cutGradient().shape(), shape)) {
                throw new InvalidInputException(
                        "the main server returned a cut gradient of shape "
                                + Arrays.toString(answer.cutGradient().shape()) + " for activations of shape "
                                + Arrays.toString(shape));
            }
            Payloads.checkFinite("the main server", "a cut-layer gradient", answer.cutGradient().data());
            NDArray gradient =
                    scope.create(FloatBuffer.wrap(answer.cutGradient().data()), activations.getShape());
            Torch.backward(activations, gradient);
            model.step(optimizer);
            return answer.loss();
        }
    }
}
