package dev.splitfed.internal.aggregate;

import dev.splitfed.aggregate.Strategy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.aggregate.AdaptiveServerOptimizer.Rule;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Server optimizers against sequences computed by hand (in double; the optimizers keep float32). */
class ServerOptimizerTest {

    private static final float[][] DELTAS = {{0.5f}, {-0.2f}, {0.001f}};

    private static float[] run(ServerOptimizer optimizer, float[] x, float[]... deltas) {
        for (float[] d : deltas) {
            x = optimizer.step(x, d);
        }
        return x;
    }

    @Test
    void fedAvgMAccumulatesMomentumAndStepsByTheServerRate() {
        ServerMomentum avgm = new ServerMomentum(0.5, 0.9);
        // m1 = (0.2, 0.4), x1 = (1, -2) + 0.5 m1 = (1.1, -1.8)
        float[] x1 = avgm.step(new float[] {1, -2}, new float[] {0.2f, 0.4f});
        assertThat(x1[0]).isCloseTo(1.1f, within(1e-6f));
        assertThat(x1[1]).isCloseTo(-1.8f, within(1e-6f));
        // m2 = 0.9 m1 + (-0.1, 0) = (0.08, 0.36), x2 = x1 + 0.5 m2 = (1.14, -1.62)
        float[] x2 = avgm.step(x1, new float[] {-0.1f, 0});
        assertThat(x2[0]).isCloseTo(1.14f, within(1e-6f));
        assertThat(x2[1]).isCloseTo(-1.62f, within(1e-6f));
        assertThat(avgm.state()).containsExactly(0.08f, 0.36f);
        // m3 = 0.9 m2 + (0.3, -0.5) = (0.372, -0.176), x3 = (1.326, -1.708)
        float[] x3 = avgm.step(x2, new float[] {0.3f, -0.5f});
        assertThat(x3[0]).isCloseTo(1.326f, within(1e-6f));
        assertThat(x3[1]).isCloseTo(-1.708f, within(1e-6f));
    }

    @Test
    void fedAvgMWithoutMomentumAtRateOneIsPlainFedAvg() {
        Random random = new Random(3);
        float[] global = new float[50];
        float[][] updates = new float[3][50];
        for (int i = 0; i < global.length; i++) {
            global[i] = (float) random.nextGaussian();
            for (float[] u : updates) {
                u[i] = (float) random.nextGaussian() * 0.01f;
            }
        }
        assertThat(run(new ServerMomentum(1, 0), global, updates))
                .containsExactly(run(ServerOptimizer.plain(), global, updates));
    }

    @Test
    void fedAdamFollowsAlgorithmTwo() {
        // eta 0.1, beta1 0.9, beta2 0.99, tau 0.01, v0 = tau^2 = 1e-4.
        // 1: m = 0.05, v = 0.99e-4 + 0.01 * 0.25 = 0.002599, x = 0.1 * 0.05 / (sqrt(v) + 0.01) = 0.0819936
        // 2: m = 0.045 - 0.02 = 0.025, v = 0.99 v + 0.01 * 0.04 = 0.00297301, x = 0.1207381
        // 3: m = 0.0225 + 0.0001 = 0.0226, v = 0.99 v + 1e-8 = 0.0029432899, x = 0.1559120
        AdaptiveServerOptimizer adam = new AdaptiveServerOptimizer(Rule.ADAM, 0.1, 0.9, 0.99, 0.01);
        float[] x = new float[1];
        double[] expected = {0.08199357, 0.12073806, 0.15591201};
        for (int t = 0; t < 3; t++) {
            x = adam.step(x, DELTAS[t]);
            assertThat((double) x[0]).isCloseTo(expected[t], within(1e-6));
        }
        assertThat((double) adam.state()[1]).isCloseTo(0.0029432899, within(1e-9));
    }

    @Test
    void fedYogiMovesTheSecondMomentAdditively() {
        // 1: v = 1e-4 - 0.01 * 0.25 * sign(1e-4 - 0.25) = 0.0026, x = 0.1 * 0.05 / (0.0509902 + 0.01) = 0.0819804
        // 2: v = 0.0026 + 0.01 * 0.04 = 0.003 (v < 0.04), x = 0.1205772
        // 3: v = 0.003 - 0.01 * 1e-6 = 0.00299999 (v > 1e-6: it shrinks by 1e-8, Adam's by 3e-5), x = 0.1554687
        AdaptiveServerOptimizer yogi = new AdaptiveServerOptimizer(Rule.YOGI, 0.1, 0.9, 0.99, 0.01);
        float[] x = new float[1];
        double[] expected = {0.08198039, 0.12057716, 0.15546869};
        for (int t = 0; t < 3; t++) {
            x = yogi.step(x, DELTAS[t]);
            assertThat((double) x[0]).isCloseTo(expected[t], within(1e-6));
        }
        assertThat((double) yogi.state()[1]).isCloseTo(0.00299999, within(1e-9));
    }

    @Test
    void fedAdagradSumsSquaredUpdates() {
        // 1: v = 1e-4 + 0.25 = 0.2501, x = 0.1 * 0.05 / (0.5001 + 0.01) = 0.0098020
        // 2: v = 0.2901, x = 0.0143590;  3: v = 0.290101, x = 0.0184785
        AdaptiveServerOptimizer adagrad = new AdaptiveServerOptimizer(Rule.ADAGRAD, 0.1, 0.9, 0, 0.01);
        float[] x = new float[1];
        double[] expected = {0.00980200, 0.01435898, 0.01847848};
        for (int t = 0; t < 3; t++) {
            x = adagrad.step(x, DELTAS[t]);
            assertThat((double) x[0]).isCloseTo(expected[t], within(1e-7));
        }
        assertThat((double) adagrad.state()[1]).isCloseTo(0.290101, within(1e-7));
    }

    @Test
    void aRestoredOptimizerContinuesExactlyAsTheOriginal() {
        Random random = new Random(9);
        float[][] deltas = new float[4][20];
        for (float[] d : deltas) {
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) random.nextGaussian() * 0.1f;
            }
        }
        for (Strategy s : new Strategy[] {Strategy.parse("fedadam"), Strategy.parse("fedyogi"),
                Strategy.parse("fedadagrad"), Strategy.parse("fedavgm")}) {
            ServerOptimizer original = s.newOptimizer();
            float[] x = run(original, new float[20], deltas[0], deltas[1]);
            ServerOptimizer restored = s.newOptimizer();
            restored.restore(original.state());
            assertThat(run(restored, x, deltas[2], deltas[3])).as(s.spec())
                    .containsExactly(run(original, x, deltas[2], deltas[3]));
            ServerOptimizer fresh = s.newOptimizer();
            assertThat(run(fresh, x, deltas[2], deltas[3])).as("the state matters for " + s.spec())
                    .isNotEqualTo(run(restored, x, deltas[2], deltas[3]));
        }
    }

    @Test
    void damagedStateIsRefused() {
        AdaptiveServerOptimizer adam = new AdaptiveServerOptimizer(Rule.ADAM, 0.1, 0.9, 0.99, 0.01);
        assertThatThrownBy(() -> adam.restore(new float[3])).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("m and v");
        assertThatThrownBy(() -> adam.restore(new float[] {0, -1})).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("non-negative v");
        assertThatThrownBy(() -> ServerOptimizer.plain().restore(new float[2])).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("keeps none");
    }
}
