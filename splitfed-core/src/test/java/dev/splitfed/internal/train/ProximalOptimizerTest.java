package dev.splitfed.internal.train;

import dev.splitfed.scheme.OptimizerSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import dev.splitfed.internal.engine.Torch;
import org.junit.jupiter.api.Test;

class ProximalOptimizerTest {

    private static final OptimizerSpec SGD = new OptimizerSpec("sgd", 0.1f, 0f);

    /** Steps a weight (1, 2) three times with the constant gradient (0.5, -1). */
    static float[][] threeSteps(Optimizer optimizer) {
        try (NDManager manager = Torch.engine().newBaseManager()) {
            NDArray weight = manager.create(new float[] {1, 2});
            weight.setRequiresGradient(true);
            float[][] out = new float[3][];
            for (int t = 0; t < 3; t++) {
                try (NDArray grad = manager.create(new float[] {0.5f, -1})) {
                    optimizer.update("w", weight, grad);
                }
                out[t] = weight.toFloatArray();
            }
            return out;
        }
    }

    @Test
    void theProximalGradientPullsTowardsTheStartingWeights() {
        float[][] w = threeSteps(ProximalOptimizer.of(SGD, 2));
        // lr 0.1, mu 2, w_start (1, 2), g (0.5, -1):
        // 1: the term is 0 at w_start: w1 = w_start - 0.1 g = (0.95, 2.1)
        // 2: g + 2 (w1 - w_start) = (0.4, -0.8): w2 = (0.91, 2.18)
        // 3: g + 2 (w2 - w_start) = (0.32, -0.64): w3 = (0.878, 2.244)
        float[][] expected = {{0.95f, 2.1f}, {0.91f, 2.18f}, {0.878f, 2.244f}};
        for (int t = 0; t < 3; t++) {
            assertThat(w[t][0]).isCloseTo(expected[t][0], within(1e-6f));
            assertThat(w[t][1]).isCloseTo(expected[t][1], within(1e-6f));
        }
        float[][] plain = threeSteps(SGD.newOptimizer());
        assertThat(w[0]).as("the first step is plain SGD's").containsExactly(plain[0]);
        assertThat(plain[2][0]).isCloseTo(0.85f, within(1e-6f));
    }

    @Test
    void withoutMuTheOptimizerIsThePlainOne() {
        Optimizer plain = ProximalOptimizer.of(SGD, 0);
        assertThat(plain).isNotInstanceOf(ProximalOptimizer.class);
        assertThat(threeSteps(plain)[2]).containsExactly(threeSteps(SGD.newOptimizer())[2]);
    }
}
