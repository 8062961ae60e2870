package dev.splitfed.model;

import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.model.SplitModel;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.internal.train.CrossEntropy;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SplitGradientTest {

    /**
     * The split path (client forward, activations copied out as floats, server forward and
     * backward from a fresh leaf, cut gradient copied back, client backward) must give the same
     * parameter gradients as one backward pass through the unsplit network.
     */
    @ParameterizedTest(name = "{0} cut {1}")
    @CsvSource({"lenet5, 1", "lenet5, 2", "lenet5, 3", "lenet5, 4", "mlp, 1", "mlp, 2"})
    void splitBackwardGivesTheUnsplitGradients(String name, int cut) {
        int[] sample = name.equals("lenet5") ? new int[] {1, 28, 28} : new int[] {30};
        Architecture arch = Architecture.create(name, sample, 10);
        Random random = new Random(42);
        int batch = 16;
        float[] x = new float[batch * (name.equals("lenet5") ? 784 : 30)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = random.nextInt(10);
        }
        long[] dims = name.equals("lenet5") ? new long[] {batch, 1, 28, 28} : new long[] {batch, 30};

        Unsplit reference = Unsplit.of(arch, cut, x, dims, labels, 3);
        float[] weights = reference.weights();
        float[] unsplit = reference.gradients();

        float[] split;
        try (ModelPart client = ModelPart.create(arch, 0, cut);
                ModelPart server = ModelPart.create(arch, cut, arch.stages())) {
            client.setWeights(Arrays.copyOfRange(weights, 0, client.size()));
            server.setWeights(Arrays.copyOfRange(weights, client.size(), weights.length));
            try (NDManager m = client.manager().newSubManager(); Torch.GradScope g = Torch.record()) {
                NDArray act = client.forward(m.create(x, new Shape(dims)), true);
                float[] smashed = act.toFloatArray();
                NDArray received = m.create(smashed, act.getShape());
                received.setRequiresGradient(true);
                NDArray loss = CrossEntropy.mean(server.forward(received, true), CrossEntropy.labels(m, labels, batch));
                Torch.backward(loss, m.ones(loss.getShape()));
                float[] cutGradient;
                try (NDArray grad = received.getGradient()) {
                    cutGradient = grad.toFloatArray();
                }
                Torch.backward(act, m.create(cutGradient, act.getShape()));
            }
            split = SplitModel.concat(client.gradients(), server.gradients());
        }

        assertThat(split).hasSameSizeAs(unsplit);
        double maxAbs = 0;
        double norm = 0;
        for (int i = 0; i < split.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(split[i] - unsplit[i]));
            norm += unsplit[i] * unsplit[i];
        }
        assertThat(norm).as("the gradients are not trivially zero").isGreaterThan(1e-6);
        assertThat(maxAbs).isLessThanOrEqualTo(1e-5);
    }

    /**
     * The U-shaped path (private labels): bottom forward, smashed data copied out, middle forward
     * from a fresh leaf, its output copied out, head forward, loss and head backward on the client,
     * the gradient at the middle output copied to the server, middle backward, cut gradient copied
     * back, bottom backward, must give the unsplit network's gradients.
     */
    @ParameterizedTest(name = "{0} cut {1}")
    @CsvSource({"lenet5, 1", "lenet5, 2", "lenet5, 3", "mlp, 1"})
    void uShapedBackwardGivesTheUnsplitGradients(String name, int cut) {
        int[] sample = name.equals("lenet5") ? new int[] {1, 28, 28} : new int[] {30};
        Architecture arch = Architecture.create(name, sample, 10);
        Random random = new Random(7);
        int batch = 12;
        long[] dims = name.equals("lenet5") ? new long[] {batch, 1, 28, 28} : new long[] {batch, 30};
        float[] x = new float[batch * (name.equals("lenet5") ? 784 : 30)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = random.nextInt(10);
        }
        int end = arch.stages() - 1;

        Unsplit reference = Unsplit.of(arch, cut, x, dims, labels, 4);
        float[] weights = reference.weights();
        float[] unsplit = reference.gradients();

        float[] split;
        try (ModelPart bottom = ModelPart.create(arch, 0, cut);
                ModelPart middle = ModelPart.create(arch, cut, end);
                ModelPart head = ModelPart.create(arch, end, arch.stages())) {
            int b = bottom.size();
            int mid = middle.size();
            bottom.setWeights(Arrays.copyOfRange(weights, 0, b));
            middle.setWeights(Arrays.copyOfRange(weights, b, b + mid));
            head.setWeights(Arrays.copyOfRange(weights, b + mid, weights.length));
            try (NDManager m = bottom.manager().newSubManager(); Torch.GradScope g = Torch.record()) {
                NDArray act = bottom.forward(m.create(x, new Shape(dims)), true);
                NDArray atServer = m.create(act.toFloatArray(), act.getShape());
                atServer.setRequiresGradient(true);
                NDArray middleOut = middle.forward(atServer, true);
                NDArray atClient = m.create(middleOut.toFloatArray(), middleOut.getShape());
                atClient.setRequiresGradient(true);
                NDArray loss = CrossEntropy.mean(head.forward(atClient, true), CrossEntropy.labels(m, labels, batch));
                Torch.backward(loss, m.ones(loss.getShape()));
                float[] middleGradient;
                try (NDArray grad = atClient.getGradient()) {
                    middleGradient = grad.toFloatArray();
                }
                Torch.backward(middleOut, m.create(middleGradient, middleOut.getShape()));
                float[] cutGradient;
                try (NDArray grad = atServer.getGradient()) {
                    cutGradient = grad.toFloatArray();
                }
                Torch.backward(act, m.create(cutGradient, act.getShape()));
            }
            split = SplitModel.concat(SplitModel.concat(bottom.gradients(), middle.gradients()), head.gradients());
        }

        assertThat(split).hasSameSizeAs(unsplit);
        double maxAbs = 0;
        double bottomNorm = 0;
        for (int i = 0; i < split.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(split[i] - unsplit[i]));
        }
        for (int i = 0; i < 100; i++) {
            bottomNorm += (double) unsplit[i] * unsplit[i];
        }
        assertThat(bottomNorm).as("the bottom's gradients are not trivially zero").isGreaterThan(1e-10);
        assertThat(maxAbs).isLessThanOrEqualTo(1e-5);
    }

    /** The whole network's initial weights and the gradients of one batch's mean loss through it, unsplit. */
    private record Unsplit(float[] weights, float[] gradients) {
        static Unsplit of(Architecture arch, int cut, float[] x, long[] dims, int[] labels, long seed) {
            try (SplitModel whole = SplitModel.create(arch, cut)) {
                float[] weights = SplitModel.concat(whole.client().defaultInitialWeights(seed, "c"),
                        whole.server().defaultInitialWeights(seed, "s"));
                whole.setWeights(weights);
                try (NDManager m = whole.client().manager().newSubManager(); Torch.GradScope g = Torch.record()) {
                    NDArray loss = CrossEntropy.mean(whole.forward(m.create(x, new Shape(dims)), true),
                            CrossEntropy.labels(m, labels, labels.length));
                    Torch.backward(loss, m.ones(loss.getShape()));
                }
                return new Unsplit(weights, whole.gradients());
            }
        }
    }
}
