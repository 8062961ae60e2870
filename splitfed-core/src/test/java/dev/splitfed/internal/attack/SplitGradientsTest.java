package dev.splitfed.internal.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.internal.engine.Shapes;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.internal.model.SplitModel;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SplitGradientsTest {

    @Test
    void theMiddleGradientIsTheHeadsJacobianTimesSoftmaxMinusOneHotAndTheCutGradientIgnoresWhereLabelsAre() {
        DataSplit data = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());
        Dataset test = data.test();
        Architecture arch = Architecture.create("lenet5", test.sampleShape(), 10);
        float[] weights;
        try (SplitModel m = SplitModel.create(arch, 1)) {
            weights = SplitModel.concat(m.client().defaultInitialWeights(2, "c"), m.server().defaultInitialWeights(2, "s"));
        }
        int[] indices = {3, 14, 15, 92, 65, 35, 89, 79};
        int batch = 4;
        SplitLayout u = SplitLayout.of(arch, 1, LabelSharing.PRIVATE);
        SplitGradients privateLabels = SplitGradients.of(arch, u, weights, test, indices, batch);
        SplitGradients shared = SplitGradients.of(arch, SplitLayout.of(arch, 1, LabelSharing.SHARED), weights, test, indices, batch);
        assertThat(shared.middle()).isNull();
        for (int i = 0; i < indices.length; i++) {
            assertThat(privateLabels.cut()[i]).hasSize(1176);
            for (int j = 0; j < 1176; j++) {
                assertThat(privateLabels.cut()[i][j]).isCloseTo(shared.cut()[i][j], offset(1e-7f));
            }
        }
        // By hand: the head is dense 84 -> 10 with weight W (10 x 84, row-major) then bias, the last 850
        // values; d loss / d h = W^T (softmax(z) - onehot(y)) / batch, z from the whole model.
        int w0 = weights.length - 850;
        float[] logits = new float[indices.length * 10];
        float[] x = new float[indices.length * 784];
        int[] labels = new int[indices.length];
        test.gather(indices, 0, indices.length, x, labels);
        try (SplitModel whole = SplitModel.create(arch, 1, weights);
                NDManager scope = whole.manager().newSubManager();
                Torch.GradScope paused = Torch.pause()) {
            NDArray out = whole.forward(scope.create(FloatBuffer.wrap(x), Shapes.batch(indices.length, test.sampleShape())), true);
            System.arraycopy(out.toFloatArray(), 0, logits, 0, logits.length);
        }
        double norm = 0;
        for (int i = 0; i < indices.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 10; c++) {
                max = Math.max(max, logits[i * 10 + c]);
            }
            double sum = 0;
            double[] p = new double[10];
            for (int c = 0; c < 10; c++) {
                p[c] = Math.exp(logits[i * 10 + c] - max);
                sum += p[c];
            }
            for (int c = 0; c < 10; c++) {
                p[c] = p[c] / sum - (c == labels[i] ? 1 : 0);
            }
            for (int k = 0; k < 84; k++) {
                double g = 0;
                for (int c = 0; c < 10; c++) {
                    g += weights[w0 + c * 84 + k] * p[c];
                }
                g /= batch;
                norm += g * g;
                assertThat((double) privateLabels.middle()[i][k]).isCloseTo(g, offset(1e-6));
            }
        }
        assertThat(norm).isGreaterThan(1e-6);
    }
}
