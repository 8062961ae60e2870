package dev.splitfed.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.internal.model.ModelPart;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * ResNet-18 against PyTorch: parameter counts of the reference's {@code resnet18_stages}, and a
 * forward pass of a narrow copy (base width 4) in train and eval mode against a fixture PyTorch
 * made ({@code src/test/resources/fixtures/make_resnet_fixture.py}).
 */
class ResNet18Test {

    /**
     * Per stage, the numel of the reference's state_dict without num_batches_tracked (what travels)
     * and of its parameters() (what is trained), printed by make_resnet_fixture.py.
     */
    private static final int[] STATE_1 = {3392, 148480, 526848, 2102272, 8398848, 5130};
    private static final int[] TRAINED_1 = {3264, 147968, 525568, 2099712, 8393728, 5130};
    private static final int[] STATE_3 = {9664, 148480, 526848, 2102272, 8398848, 5130};
    private static final int[] TRAINED_3 = {9536, 147968, 525568, 2099712, 8393728, 5130};

    private static final int[][] OUTPUT_28 = {{64, 7, 7}, {64, 7, 7}, {128, 4, 4}, {256, 2, 2}, {512, 1, 1}, {10}};

    @Test
    void stagesHaveThePyTorchReferencesParameterCountsAndShapes() {
        for (int channels : new int[] {1, 3}) {
            Architecture net = Architecture.create("resnet18", new int[] {channels, 28, 28}, 10);
            assertThat(net.stages()).isEqualTo(6);
            int[] state = channels == 1 ? STATE_1 : STATE_3;
            int[] trained = channels == 1 ? TRAINED_1 : TRAINED_3;
            for (int s = 0; s < 6; s++) {
                try (ModelPart part = ModelPart.create(net, s, s + 1)) {
                    assertThat(part.size()).as("stage %d, %d channels", s, channels).isEqualTo(state[s]);
                    // Running mean and variance are the half of the BN entries that is not trained.
                    int bn = count(part.normalisationMask());
                    assertThat(part.size() - bn / 2).as("trained, stage %d", s).isEqualTo(trained[s]);
                    if (channels == 1) {
                        assertThat(part.outputShape()).containsExactly(OUTPUT_28[s]);
                    }
                }
            }
        }
    }

    @Test
    void cutsOneToFiveAndImagesOnly() {
        Architecture net = Architecture.create("resnet18", new int[] {1, 28, 28}, 10);
        assertThat(net.checkCut(1)).isEqualTo(1);
        assertThat(net.checkCut(5)).isEqualTo(5);
        assertThatThrownBy(() -> net.checkCut(6)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("expected 1 to 5");
        assertThatThrownBy(() -> Architecture.create("resnet18", new int[] {30}, 2))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("needs image data");
    }

    @Test
    void defaultInitialWeightsStartBatchNormAsPyTorchDoes() {
        Architecture net = Architecture.create("resnet18", new int[] {1, 28, 28}, 10);
        try (ModelPart stem = ModelPart.create(net, 0, 1)) {
            float[] w = stem.defaultInitialWeights(1, "init");
            // conv 64x1x7x7 = 3136 values in U(-1/7, 1/7), then gamma, beta, mean, var of 64.
            for (int i = 0; i < 3136; i++) {
                assertThat(Math.abs(w[i])).isLessThanOrEqualTo(1f / 7);
            }
            float[] expected = new float[256];
            Arrays.fill(expected, 0, 64, 1f);
            Arrays.fill(expected, 192, 256, 1f);
            assertThat(Arrays.copyOfRange(w, 3136, 3392)).containsExactly(expected);
            boolean[] mask = stem.normalisationMask();
            assertThat(count(mask)).isEqualTo(256);
            assertThat(mask[3135]).isFalse();
            assertThat(mask[3136]).isTrue();
        }
    }

    @Test
    void forwardMatchesPyTorchInEvalAndTrainModeAndRunningStatisticsMoveAsPyTorchs() throws IOException {
        Architecture narrow = new ResNet18(new int[] {1, 28, 28}, 10, 4);
        float[] weights = fixture("weights.bin");
        float[] input = fixture("input.bin");
        try (ModelPart net = ModelPart.create(narrow, 0, 6, weights)) {
            assertThat(net.size()).isEqualTo(weights.length).isEqualTo(45310);
            NDManager m = net.manager();
            try (NDManager scope = m.newSubManager()) {
                NDArray x = scope.create(FloatBuffer.wrap(input), new Shape(4, 1, 28, 28));
                assertClose(net.forward(x, false).toFloatArray(), fixture("eval.bin"), 1e-4);
                assertThat(net.weights()).as("eval mode leaves the running statistics").containsExactly(weights);
                assertClose(net.forward(x, true).toFloatArray(), fixture("train.bin"), 1e-4);
                // Running mean and (unbiased) variance moved by 0.1 of the batch's, as PyTorch's do.
                assertClose(net.weights(), fixture("after.bin"), 1e-5);
            }
        }
    }

    @Test
    void runningStatisticsGetNoGradientAndNoStepAndWeightsAreWrittenInPlace() throws IOException {
        Architecture narrow = new ResNet18(new int[] {1, 28, 28}, 10, 4);
        float[] weights = fixture("weights.bin");
        try (ModelPart net = ModelPart.create(narrow, 0, 1, Arrays.copyOf(weights, 4 * 49 + 16))) {
            // stem: conv 4x1x7x7, then gamma, beta, running mean, running variance of 4
            float[] before = net.weights();
            try (NDManager scope = net.manager().newSubManager();
                    Torch.GradScope recording = Torch.record()) {
                NDArray x = scope.create(FloatBuffer.wrap(fixture("input.bin")), new Shape(4, 1, 28, 28));
                NDArray y = net.forward(x, true);
                Torch.backward(y, scope.ones(y.getShape()));
            }
            float[] moved = net.weights();
            float[] gradients = net.gradients();
            for (int i = 196 + 8; i < 196 + 16; i++) {
                assertThat(gradients[i]).as("running statistic %d", i).isZero();
                assertThat(moved[i]).isNotEqualTo(before[i]);
            }
            assertThat(gradients[0]).isNotZero();
            Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build();
            net.step(sgd);
            float[] stepped = net.weights();
            assertThat(Arrays.copyOfRange(stepped, 196 + 8, 196 + 16))
                    .containsExactly(Arrays.copyOfRange(moved, 196 + 8, 196 + 16));
            assertThat(stepped[0]).isNotEqualTo(moved[0]);
            net.step(sgd, new float[net.size()]);
            assertThat(net.weights()).containsExactly(stepped);
        }
    }

    @Test
    void setWeightsKeepsTheArraysAndWhetherTheyRequireGradients() throws IOException {
        Architecture narrow = new ResNet18(new int[] {1, 28, 28}, 10, 4);
        try (ModelPart net = ModelPart.create(narrow, 0, 1)) {
            java.util.List<NDArray> arrays = new java.util.ArrayList<>();
            java.util.List<Boolean> requires = new java.util.ArrayList<>();
            for (ai.djl.util.Pair<String, Parameter> p : parameters(net)) {
                arrays.add(p.getValue().getArray());
                requires.add(p.getValue().getArray().hasGradient());
            }
            assertThat(requires).containsExactly(true, true, true, false, false);
            float[] w = Arrays.copyOf(fixture("weights.bin"), net.size());
            net.setWeights(w);
            assertThat(net.weights()).containsExactly(w);
            int i = 0;
            for (ai.djl.util.Pair<String, Parameter> p : parameters(net)) {
                assertThat(p.getValue().getArray()).isSameAs(arrays.get(i));
                assertThat(p.getValue().getArray().hasGradient()).isEqualTo(requires.get(i));
                i++;
            }
        }
    }

    private static ai.djl.util.PairList<String, Parameter> parameters(ModelPart part) {
        try {
            java.lang.reflect.Field f = ModelPart.class.getDeclaredField("block");
            f.setAccessible(true);
            return ((ai.djl.nn.Block) f.get(part)).getParameters();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        return n;
    }

    private static void assertClose(float[] actual, float[] expected, double tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat((double) actual[i]).as("value %d", i).isCloseTo(expected[i], within(tolerance));
        }
    }

    private static float[] fixture(String name) throws IOException {
        try (InputStream in = ResNet18Test.class.getResourceAsStream("/fixtures/resnet/" + name)) {
            assertThat(in).as(name).isNotNull();
            byte[] bytes = in.readAllBytes();
            float[] out = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }
    }
}
