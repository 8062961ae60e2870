package dev.splitfed.internal.role;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.data.Dataset;
import dev.splitfed.model.Architecture;
import dev.splitfed.internal.model.SplitModel;
import dev.splitfed.internal.train.LocalTraining;
import dev.splitfed.scheme.OptimizerSpec;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A client given a batch budget trains exactly that many batches and hands in the samples behind them. */
class PartialWorkTest {

    private final Architecture arch = Architecture.create("mlp", new int[] {4}, 3);

    /** 50 samples of 4 features: batches of 8 are 6 full ones and one of 2. */
    private final Dataset data = new Dataset("tiny", features(50), IntStream.range(0, 50).map(i -> i % 3).toArray(),
            new int[] {4}, List.of("a", "b", "c"));

    private static float[] features(int n) {
        float[] out = new float[n * 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.sin(i);
        }
        return out;
    }

    /** A fed server that hands out fixed weights and keeps what the client hands in. */
    private static final class Recording implements FedServer {
        final float[] start;
        int samples = -1;

        Recording(float[] start) {
            this.start = start;
        }

        @Override
        public float[] download(int clientId, int round) {
            return start.clone();
        }

        @Override
        public void submit(int clientId, int round, float[] weights, int samples) {
            this.samples = samples;
        }
    }

    private int[] run(int epochs, long budget) {
        float[] start;
        try (SplitModel model = SplitModel.create(arch, 1)) {
            start = SplitModel.concat(model.client().defaultInitialWeights(1, "c"), model.server().defaultInitialWeights(1, "s"));
        }
        Recording fed = new Recording(start);
        AtomicInteger batches = new AtomicInteger();
        FederatedClient client = new FederatedClient(0, data, IntStream.range(0, 50).toArray(), arch, 1,
                new LocalTraining(epochs, 8, new OptimizerSpec("sgd", 0.1f, 0), 3), fed, batches::incrementAndGet);
        ClientReport report = client.train(1, budget);
        return new int[] {batches.get(), (int) report.samplesSeen(), fed.samples};
    }

    @Test
    void aBudgetStopsTheRoundAfterThatManyBatches() {
        // 4 batches of 8: 32 samples, handed in with weight 32.
        assertThat(run(1, 4)).containsExactly(4, 32, 32);
    }

    @Test
    void aBudgetAcrossEpochsCountsEachSampleOnce() {
        // Epoch 1: 7 batches (50 samples); epoch 2: 2 batches (16). Distinct samples: all 50.
        assertThat(run(2, 9)).containsExactly(9, 66, 50);
    }

    @Test
    void aBudgetAtLeastTheRoundChangesNothing() {
        assertThat(run(1, 7)).containsExactly(7, 50, 50);
        assertThat(run(1, Long.MAX_VALUE)).containsExactly(7, 50, 50);
    }
}
