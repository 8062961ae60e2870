package dev.splitfed.internal.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.aggregate.Aggregation;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.scheme.OptimizerSpec;
import dev.splitfed.internal.transport.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The main server of the U-shaped split: the middle stages only, a forward and a backward per batch. */
class UShapedMainServerTest {

    // mlp on 4 features, 3 classes: dense 64 | dense 32 | dense 3; cut 1 leaves the middle dense 32.
    private final Architecture arch = Architecture.create("mlp", new int[] {4}, 3);
    private final SplitLayout layout = SplitLayout.of(arch, 1, LabelSharing.PRIVATE);

    private float[] middleInitial() {
        try (ModelPart part = ModelPart.create(arch, 1, 2)) {
            return part.defaultInitialWeights(1, "m");
        }
    }

    private SplitMainServer server(boolean perClientCopies, float[] initial) {
        SplitMainServer server = perClientCopies
                ? SplitMainServer.perClient(arch, layout, initial, new OptimizerSpec("sgd", 0.1f, 0), Aggregation.fedAvg())
                : SplitMainServer.shared(arch, layout, initial, new OptimizerSpec("sgd", 0.1f, 0));
        server.beginRound(1, List.of(0, 1));
        return server;
    }

    private static Tensor random(int[] shape, long seed) {
        Random r = new Random(seed);
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return new Tensor(shape, v);
    }

    @Test
    void forwardAndBackwardGiveTheMiddlesOutputGradientAndStep() {
        float[] initial = middleInitial();
        assertThat(initial).hasSize(64 * 32 + 32);
        SplitMainServer server = server(true, initial);
        Tensor smashed = random(new int[] {3, 64}, 1);
        Tensor gradient = random(new int[] {3, 32}, 2);
        Tensor out = server.forward(0, 1, smashed);
        Tensor cut = server.backward(0, 1, gradient);
        server.endRound();

        // The same computation by hand on a part of our own: y = relu(W x + b), then SGD with lr 0.1.
        try (ModelPart middle = ModelPart.create(arch, 1, 2, initial);
                NDManager m = middle.manager().newSubManager();
                Torch.GradScope g = Torch.record()) {
            NDArray x = m.create(smashed.data(), new Shape(3, 64));
            x.setRequiresGradient(true);
            NDArray y = middle.forward(x, true);
            assertThat(out.shape()).containsExactly(3, 32);
            float[] expectedOut = y.toFloatArray();
            for (int i = 0; i < expectedOut.length; i++) {
                assertThat(out.data()[i]).isCloseTo(expectedOut[i], offset(1e-6f));
            }
            Torch.backward(y, m.create(gradient.data(), new Shape(3, 32)));
            float[] expectedCut = x.getGradient().toFloatArray();
            assertThat(cut.shape()).containsExactly(3, 64);
            double norm = 0;
            for (int i = 0; i < expectedCut.length; i++) {
                assertThat(cut.data()[i]).isCloseTo(expectedCut[i], offset(1e-6f));
                norm += expectedCut[i] * expectedCut[i];
            }
            assertThat(norm).isGreaterThan(1e-3);
            float[] grads = middle.gradients();
            float[] after = server.globalWeights();
            for (int i = 0; i < initial.length; i++) {
                assertThat(after[i]).isCloseTo(initial[i] - 0.1f * grads[i], offset(1e-6f));
            }
        }
    }

    @Test
    void labelsOutOfOrderMessagesAndBadGradientsAreRefused() {
        float[] initial = middleInitial();
        SplitMainServer server = server(true, initial);
        Tensor smashed = random(new int[] {2, 64}, 3);
        assertThatThrownBy(() -> server.step(0, 1, smashed, new int[] {0, 1}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("labels private");
        assertThatThrownBy(() -> server.backward(0, 1, random(new int[] {2, 32}, 4)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no batch of its smashed data awaits");
        assertThatThrownBy(() -> server.forward(0, 1, random(new int[] {2, 63}, 4)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("shape [2, 63]");
        server.forward(0, 1, smashed);
        assertThatThrownBy(() -> server.forward(0, 1, smashed))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("before the gradient of its previous batch");
        assertThatThrownBy(() -> server.backward(0, 1, random(new int[] {3, 32}, 5)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("shape [3, 32] for middle output of shape [2, 32]");
        Tensor nan = random(new int[] {2, 32}, 6);
        nan.data()[5] = Float.NaN;
        assertThatThrownBy(() -> server.backward(0, 1, nan))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> server.backward(1, 1, random(new int[] {2, 32}, 7)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("client 1 sent a gradient");
        assertThatThrownBy(() -> server.backward(0, 2, random(new int[] {2, 32}, 7)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("round 2 during round 1");
        server.endRound();
        assertThat(server.globalWeights()).as("nothing refused reached the model").containsExactly(initial);

        SplitMainServer shared = SplitMainServer.perClient(arch, SplitLayout.of(arch, 1, LabelSharing.SHARED),
                new float[64 * 32 + 32 + 32 * 3 + 3], new OptimizerSpec("sgd", 0.1f, 0), Aggregation.fedAvg());
        shared.beginRound(1, List.of(0));
        assertThatThrownBy(() -> shared.forward(0, 1, smashed))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("labels shared");
    }

    @Test
    void oneSharedMiddleServesOneBatchAtATimeAndADroppedClientReleasesIt() {
        SplitMainServer server = server(false, middleInitial());
        server.forward(0, 1, random(new int[] {2, 64}, 8));
        assertThatThrownBy(() -> server.forward(1, 1, random(new int[] {2, 64}, 9)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("awaits client 0's gradient");
        server.discard(0);
        Tensor out = server.forward(1, 1, random(new int[] {2, 64}, 9));
        assertThat(server.backward(1, 1, random(out.shape(), 10)).shape()).containsExactly(2, 64);
        server.endRound();
    }
}
