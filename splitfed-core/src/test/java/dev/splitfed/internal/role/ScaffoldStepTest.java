package dev.splitfed.internal.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.internal.aggregate.ControlVariate;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.model.Architecture;
import dev.splitfed.internal.privacy.NoiseSource;
import dev.splitfed.scheme.Simulation;
import dev.splitfed.internal.train.LocalTraining;
import dev.splitfed.scheme.OptimizerSpec;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One SCAFFOLD client against a hand computation: with plain SGD a step is y = x - lr (g - c_i + c),
 * where g is the batch gradient a client without SCAFFOLD steps by, and with one step option II
 * gives c_i+ = c_i - c + (x - y) / lr = g.
 */
class ScaffoldStepTest {

    private static final float LR = 0.1f;
    private static final int[] SAMPLES = {0, 1, 2, 3, 4, 5, 6, 7};
    private static DataSplit data;
    private static Architecture mlp;

    @BeforeAll
    static void load() {
        data = DatasetCatalog.load("breast-cancer", null, Map.of());
        mlp = Architecture.create("mlp", data.train().sampleShape(), data.train().numClasses());
    }

    /** A fed server that hands out a fixed vector and keeps what it is handed. */
    private static final class Fixed implements FedServer {
        float[] down;
        float[] up;

        @Override
        public float[] download(int clientId, int round) {
            return down.clone();
        }

        @Override
        public void submit(int clientId, int round, float[] weights, int samples) {
            up = weights.clone();
        }
    }

    private static FederatedClient client(Fixed server, boolean scaffold) {
        // One batch of all 8 samples: one local step a round.
        LocalTraining training = new LocalTraining(
                1, SAMPLES.length, new OptimizerSpec("sgd", LR, 0f), 1, null, NoiseSource.seeded(1), 0, scaffold);
        return new FederatedClient(0, data.train(), SAMPLES, mlp, 1, training, server, ProgressListener.NONE);
    }

    /** Returns the plain SGD step's gradient from x: (x - y) / lr. */
    private static float[] gradient(float[] x, int round) {
        Fixed plain = new Fixed();
        plain.down = x;
        client(plain, false).train(round);
        float[] g = new float[x.length];
        for (int j = 0; j < g.length; j++) {
            g[j] = (x[j] - plain.up[j]) / LR;
        }
        return g;
    }

    @Test
    void eachStepAddsTheCorrectionAndTheVariateBecomesTheGradient() {
        float[] x = Simulation.initialWeights(mlp, 1, 7);
        float[] c = new float[x.length];
        for (int j = 0; j < c.length; j++) {
            c[j] = 0.01f * ((j % 7) - 3);
        }
        Fixed server = new Fixed();
        FederatedClient scaffold = client(server, true);

        // Round 1: c_i = 0, so y = x - lr (g + c), and delta c_i = c_i+ = g.
        server.down = ControlVariate.join(x, c);
        scaffold.train(1);
        float[] g = gradient(x, 1);
        float[] y = ControlVariate.weightsOf(server.up);
        float[] delta = ControlVariate.variateOf(server.up);
        for (int j = 0; j < x.length; j++) {
            assertThat(y[j]).isCloseTo(x[j] - LR * (g[j] + c[j]), within(1e-5f));
            assertThat(delta[j]).isCloseTo(g[j], within(1e-4f));
        }

        // Round 2 from other weights and another c: y = x2 - lr (g2 - c_i + c2) with c_i = delta of round 1.
        float[] x2 = y;
        float[] c2 = new float[x.length];
        for (int j = 0; j < c2.length; j++) {
            c2[j] = -0.02f * (j % 3);
        }
        server.down = ControlVariate.join(x2, c2);
        scaffold.train(2);
        float[] g2 = gradient(x2, 2);
        float[] y2 = ControlVariate.weightsOf(server.up);
        float[] delta2 = ControlVariate.variateOf(server.up);
        double moved = 0;
        for (int j = 0; j < x.length; j++) {
            assertThat(y2[j]).isCloseTo(x2[j] - LR * (g2[j] - delta[j] + c2[j]), within(1e-5f));
            // c_i+ = g2 again (one step), so the change is g2 - c_i.
            assertThat(delta2[j]).isCloseTo(g2[j] - delta[j], within(2e-4f));
            moved += Math.abs(delta[j]);
        }
        assertThat(moved).isGreaterThan(0.1);
    }
}
