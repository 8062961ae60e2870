package dev.splitfed.internal.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.aggregate.Aggregation;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.scheme.OptimizerSpec;
import dev.splitfed.internal.transport.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SplitMainServerTest {

    private final Architecture arch = Architecture.create("mlp", new int[] {4}, 3);
    private SplitMainServer server;
    private float[] initial;

    @BeforeEach
    void openRound() {
        try (ModelPart part = ModelPart.create(arch, 1, arch.stages())) {
            initial = part.defaultInitialWeights(1, "s");
        }
        server = SplitMainServer.perClient(arch, SplitLayout.of(arch, 1, LabelSharing.SHARED), initial,
                new OptimizerSpec("sgd", 0.1f, 0), Aggregation.fedAvg());
        server.beginRound(1, List.of(0, 1));
    }

    @AfterEach
    void closeRound() {
        server.endRound();
    }

    private static Tensor smashed(int rows, float value) {
        float[] data = new float[rows * 64];
        Arrays.fill(data, value);
        return new Tensor(new int[] {rows, 64}, data);
    }

    @Test
    void badMessagesAreRefusedAndLeaveTheModelUntouched() {
        assertThatThrownBy(() -> server.step(0, 1, new Tensor(new int[] {2, 63}, new float[126]), new int[] {0, 1}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("shape [2, 63]");
        Tensor nan = smashed(2, 0.5f);
        nan.data()[7] = Float.NaN;
        assertThatThrownBy(() -> server.step(0, 1, nan, new int[] {0, 1}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> server.step(0, 1, smashed(2, 0.5f), new int[] {0, 3}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("label 3");
        assertThatThrownBy(() -> server.step(0, 1, smashed(2, 0.5f), new int[] {0}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("1 labels for a batch of 2");
        assertThatThrownBy(() -> server.step(0, 2, smashed(2, 0.5f), new int[] {0, 1}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("round 2 during round 1");
        assertThatThrownBy(() -> server.step(9, 1, smashed(2, 0.5f), new int[] {0, 1}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("client 9");
        server.endRound();
        assertThat(server.globalWeights()).containsExactly(initial);
        server.beginRound(2, List.of(0));
    }

    @Test
    void perClientCopiesAreAveragedBySamplesSeen() {
        StepResult a = server.step(0, 1, smashed(1, 0.5f), new int[] {2});
        server.step(1, 1, smashed(3, -0.25f), new int[] {0, 1, 2});
        assertThat(a.cutGradient().shape()).containsExactly(1, 64);
        assertThat(a.loss()).isPositive();
        server.endRound();
        float[] averaged = server.globalWeights();
        // Replay each client's single step on its own copy and average 1:3 by hand.
        float[] copy0 = replay(smashed(1, 0.5f), new int[] {2});
        float[] copy1 = replay(smashed(3, -0.25f), new int[] {0, 1, 2});
        for (int i = 0; i < averaged.length; i++) {
            assertThat(averaged[i]).isCloseTo(0.25f * copy0[i] + 0.75f * copy1[i], offset(1e-6f));
        }
        server.beginRound(2, List.of(0));
    }

    private float[] replay(Tensor batch, int[] labels) {
        SplitMainServer alone = SplitMainServer.shared(arch, SplitLayout.of(arch, 1, LabelSharing.SHARED), initial,
                new OptimizerSpec("sgd", 0.1f, 0));
        alone.beginRound(1, List.of(0));
        alone.step(0, 1, batch, labels);
        alone.endRound();
        return alone.globalWeights();
    }
}
