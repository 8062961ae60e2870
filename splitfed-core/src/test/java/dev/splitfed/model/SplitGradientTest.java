package dev.splitfed.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.splitfed.engine.Torch;
import dev.splitfed.train.CrossEntropy;
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

        float[] unsplit;
        float[] weights;
        try (SplitModel whole = SplitModel.create(arch, cut)) {
            weights = SplitModel.concat(
                    whole.client().defaultInitialWeights(3, "c"), whole.server().defaultInitialWeights(3, "s"));
            whole.setWeights(weights);
            try (NDManager m = whole.client().manager().newSubManager(); Torch.GradScope g = Torch.record()) {
                NDArray loss = CrossEntropy.mean(
                        whole.forward(m.create(x, new Shape(dims)), true), CrossEntropy.labels(m, labels, batch));
                Torch.backward(loss, m.ones(loss.getShape()));
            }
            unsplit = whole.gradients();
        }

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
}
