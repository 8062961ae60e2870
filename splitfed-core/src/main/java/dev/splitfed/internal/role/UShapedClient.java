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
import dev.splitfed.internal.model.BottomAndHead;
import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.model.NoisyCut;
import dev.splitfed.model.TorchScriptModel;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.internal.train.Batches;
import dev.splitfed.internal.train.CrossEntropy;
import dev.splitfed.internal.train.LocalTraining;
import dev.splitfed.internal.transport.Tensor;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A client of {@code sl}, {@code sflv1} and {@code sflv2} that keeps its labels: the U-shaped
 * split (Vepakomma et al. 2018, "Split learning for health"; Thapa et al. 2022 for SplitFed). It
 * holds the bottom (stages before the cut) and the head (the last stage), computes the loss on its
 * own labels, and hands bottom ++ head to the fed server at the end of the round.
 *
 * <p>A batch: smashed data up, the middle's output down; the head's forward, the loss and the
 * head's backward here; the gradient at the middle's output up, the cut-layer gradient down; the
 * bottom's backward and the step here. No label leaves the client. With DP-SGD, bottom and head
 * are clipped together, sample by sample.
 */
public final class UShapedClient extends LocalClient<BottomAndHead> {

    private final Architecture architecture;
    private final SplitLayout layout;
    private final MainServer mainServer;
    private final int[] middleShape;

    /**
     * Creates a client.
     *
     * @param id the client's id
     * @param data the data set its indices point into
     * @param indices the samples this client holds
     * @param architecture the whole network
     * @param layout the U-shaped split: the client holds the bottom and the head
     * @param training local epochs, batch size, optimizer, seed
     * @param fedServer where bottom ++ head comes from and goes back to
     * @param mainServer where smashed data and middle-output gradients go
     * @param progress told after every batch
     */
    public UShapedClient(
            int id,
            Dataset data,
            int[] indices,
            Architecture architecture,
            SplitLayout layout,
            LocalTraining training,
            FedServer fedServer,
            MainServer mainServer,
            ProgressListener progress) {
        super(id, data, indices, training, fedServer, progress);
        if (!layout.privateLabels()) {
            throw new IllegalArgumentException("a U-shaped client needs a layout with private labels");
        }
        this.architecture = architecture;
        this.layout = layout;
        this.mainServer = mainServer;
        if (NoisyCut.unwrap(architecture) instanceof TorchScriptModel model) {
            // A deployed client holds no middle stage of a TorchScript model, but the head's input shape is known.
            this.middleShape = model.stageInput(layout.serverEnd());
        } else {
            try (ModelPart middle = ModelPart.create(architecture, layout.cut(), layout.serverEnd())) {
                this.middleShape = middle.outputShape();
            }
        }
    }

    @Override
    BottomAndHead newModel() {
        return BottomAndHead.create(architecture, layout);
    }

    @Override
    void trained(int round) {
        mainServer.finished(id, round);
    }

    @Override
    float trainBatch(BottomAndHead model, Optimizer optimizer, Batches batches, int round) {
        if (privately() && batches.size() == 0) {
            return privateStep(model, optimizer, batches, row -> 0);
        }
        try (NDManager scope = model.manager().newSubManager();
                Torch.GradScope recording = Torch.record()) {
            NDArray features = batches.features(scope);
            NDArray activations;
            // DP-SGD goes back through the bottom sample by sample, so the batch's graph would go unused.
            try (Torch.GradScope bottom = privately() ? Torch.pause() : Torch.record()) {
                activations = model.bottom().forward(features, true);
            }
            int[] cutShape = Shapes.toInts(activations.getShape());
            float[] values = Payloads.checkConverging("activations at the cut", activations.toFloatArray(), id, round);
            Tensor middle = mainServer.forward(id, round, new Tensor(cutShape, values));
            int[] expected = Shapes.toInts(Shapes.batch(batches.size(), middleShape));
            checkAnswer("middle output", middle, expected);
            NDArray headInput = scope.create(FloatBuffer.wrap(middle.data()), Shapes.of(expected));
            headInput.setRequiresGradient(true);
            NDArray loss = CrossEntropy.mean(
                    model.head().forward(headInput, true), CrossEntropy.labels(scope, batches.labels(), batches.size()));
            float value = Payloads.checkLoss(loss.getFloat(), id, round);
            Torch.backward(loss, scope.ones(loss.getShape()));
            float[] headGradient;
            try (NDArray g = headInput.getGradient()) {
                headGradient = Payloads.checkConverging("gradients at the middle output", g.toFloatArray(), id, round);
            }
            Tensor cutGradient = mainServer.backward(id, round, new Tensor(expected, headGradient));
            checkAnswer("cut-layer gradient", cutGradient, cutShape);
            NDArray gradient = scope.create(FloatBuffer.wrap(cutGradient.data()), activations.getShape());
            if (privately()) {
                privateStep(model, optimizer, batches, row -> sampleBackward(model, scope, features, headInput, gradient,
                        batches, row));
            } else {
                Torch.backward(activations, gradient);
                step(model, optimizer);
            }
            return value;
        }
    }

    /**
     * DP-SGD's per-sample gradient of bottom and head together: the head's from sample i's own loss
     * on its row of the middle output, the bottom's from row i of the cut-layer gradient, which is of
     * the batch's mean loss, so times the batch size it is sample i's own.
     */
    private double sampleBackward(BottomAndHead model, NDManager scope, NDArray features, NDArray headInput,
            NDArray cutGradient, Batches batches, int row) {
        try (NDManager sample = scope.newSubManager()) {
            NDIndex one = new NDIndex("{}:{}", row, row + 1);
            NDArray x = features.get(one);
            NDArray g = cutGradient.get(one).muli(batches.size());
            NDArray h = headInput.get(one).stopGradient();
            x.attach(sample);
            g.attach(sample);
            h.attach(sample);
            Torch.backward(model.bottom().forward(x, true), g);
            NDArray loss = CrossEntropy.mean(
                    model.head().forward(h, true), CrossEntropy.labels(sample, new int[] {batches.labels()[row]}, 1));
            Torch.backward(loss, sample.ones(loss.getShape()));
            return loss.getFloat();
        }
    }

    private static void checkAnswer(String what, Tensor answer, int[] shape) {
        if (!Arrays.equals(answer.shape(), shape)) {
            throw new InvalidInputException("the main server returned a " + what + " of shape "
                    + Arrays.toString(answer.shape()) + ", expected " + Arrays.toString(shape));
        }
        Payloads.checkFinite("the main server", "a " + what, answer.data());
    }
}
