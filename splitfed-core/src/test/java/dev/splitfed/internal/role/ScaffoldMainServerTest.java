package dev.splitfed.internal.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.splitfed.internal.aggregate.Aggregation;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.scheme.OptimizerSpec;
import dev.splitfed.internal.transport.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SCAFFOLD on SFLV1's per-client copies of W_S, held by the main server: after one step of client
 * 0 from x to y, c_{S,0} = (x - y) / lr = g and c_S = g / N; the next round corrects client 0's
 * steps by c_S - c_{S,0} and client 1's (still zero) by c_S.
 */
class ScaffoldMainServerTest {

    private static final float LR = 0.1f;
    private final Architecture arch = Architecture.create("mlp", new int[] {4}, 3);
    private final SplitLayout layout = SplitLayout.of(arch, 1, LabelSharing.SHARED);

    private static Tensor smashed(int rows, float value) {
        float[] data = new float[rows * 64];
        Arrays.fill(data, value);
        return new Tensor(new int[] {rows, 64}, data);
    }

    private SplitMainServer server(float[] weights, int scaffoldClients) {
        return SplitMainServer.perClient(arch, layout, weights, new OptimizerSpec("sgd", LR, 0), Aggregation.fedAvg(),
                0, scaffoldClients);
    }

    /** Returns W_S after one round in which the given client takes one step on the batch, without SCAFFOLD. */
    private float[] plainStep(float[] from, int client, Tensor batch, int[] labels) {
        SplitMainServer plain = server(from, 0);
        plain.beginRound(1, List.of(client));
        plain.step(client, 1, batch, labels);
        plain.endRound();
        return plain.globalWeights();
    }

    @Test
    void copiesAreCorrectedByTheMainServersControlVariates() {
        float[] x;
        try (ModelPart part = ModelPart.create(arch, 1, arch.stages())) {
            x = part.defaultInitialWeights(3, "s");
        }
        SplitMainServer scaffold = server(x, 2);
        scaffold.beginRound(1, List.of(0));
        scaffold.step(0, 1, smashed(2, 0.5f), new int[] {2, 1});
        scaffold.endRound();
        float[] y0 = scaffold.globalWeights();
        // With c = c_i = 0 the first round is the plain one.
        assertThat(y0).containsExactly(plainStep(x, 0, smashed(2, 0.5f), new int[] {2, 1}));

        scaffold.beginRound(2, List.of(0, 1));
        scaffold.step(0, 2, smashed(1, -0.3f), new int[] {0});
        scaffold.step(1, 2, smashed(1, 0.7f), new int[] {1});
        scaffold.endRound();
        float[] averaged = scaffold.globalWeights();
        // Client 0: y = x1 - lr (g1 - g + g/2) = plain + (x - y0) / 2; client 1: plain - (x - y0) / 2.
        float[] plain0 = plainStep(y0, 0, smashed(1, -0.3f), new int[] {0});
        float[] plain1 = plainStep(y0, 1, smashed(1, 0.7f), new int[] {1});
        double shift = 0;
        for (int j = 0; j < x.length; j++) {
            float half = (x[j] - y0[j]) / 2;
            float expected = 0.5f * (plain0[j] + half) + 0.5f * (plain1[j] - half);
            assertThat(averaged[j]).isCloseTo(expected, offset(1e-6f));
            shift += Math.abs(averaged[j] - 0.5f * (plain0[j] + plain1[j]));
        }
        // The corrections cancel in the average here (1:1 weights), so check one copy's own shift too.
        SplitMainServer alone = server(x, 2);
        alone.beginRound(1, List.of(0));
        alone.step(0, 1, smashed(2, 0.5f), new int[] {2, 1});
        alone.endRound();
        alone.beginRound(2, List.of(0));
        alone.step(0, 2, smashed(1, -0.3f), new int[] {0});
        alone.endRound();
        float[] y = alone.globalWeights();
        for (int j = 0; j < x.length; j++) {
            assertThat(y[j]).isCloseTo(plain0[j] + (x[j] - y0[j]) / 2, offset(1e-6f));
        }
        assertThat(shift).isLessThan(1e-4);
    }
}
