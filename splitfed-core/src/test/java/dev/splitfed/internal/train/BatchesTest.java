package dev.splitfed.internal.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.data.Dataset;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.internal.random.Seeds;
import java.util.Map;
import org.apache.commons.rng.sampling.PermutationSampler;
import org.junit.jupiter.api.Test;

class BatchesTest {

    private static final Dataset DATA = DatasetCatalog.load("fashion-mnist-sample", null, Map.of()).train();

    @Test
    void poissonBatchesTakeEverySampleWithProbabilityBatchOverSamples() {
        int[] indices = PermutationSampler.natural(1000);
        int[] taken = new int[DATA.size()];
        long total = 0;
        int batches = 0;
        int epochs = 40;
        for (int e = 0; e < epochs; e++) {
            Batches b = Batches.poisson(DATA, indices, 50, Seeds.rng(1, "p", e));
            assertThat(b.sampleRate()).isEqualTo(0.05);
            assertThat(b.expectedSize()).isCloseTo(50, within(1e-9));
            while (b.next()) {
                batches++;
                total += b.size();
            }
        }
        // ceil(1000 / 50) = 20 steps an epoch; 800 steps of Binomial(1000, 0.05) have mean 50, sd of the mean 0.24.
        assertThat(batches).isEqualTo(20 * epochs);
        assertThat((double) total / batches).isCloseTo(50, within(1.2));
    }

    @Test
    void poissonBatchesHoldTheChosenSamplesFeaturesAndLabels() {
        int[] indices = {3, 7, 11, 19};
        Batches b = Batches.poisson(DATA, indices, 4, Seeds.rng(2, "p"));
        // q = 4 / 4 = 1: every batch holds every sample, in order.
        assertThat(b.next()).isTrue();
        assertThat(b.labelsCopy()).containsExactly(
                DATA.labels()[3], DATA.labels()[7], DATA.labels()[11], DATA.labels()[19]);
        assertThat(b.next()).isFalse();
    }

    @Test
    void smallRatesGiveEmptyBatches() {
        int[] indices = PermutationSampler.natural(500);
        Batches b = Batches.poisson(DATA, indices, 1, Seeds.rng(3, "p"));
        int empty = 0;
        int steps = 0;
        while (b.next()) {
            steps++;
            if (b.size() == 0) {
                empty++;
            }
        }
        // 500 steps with q = 1/500: P(empty) = (1 - 1/500)^500 = 0.3675; expect about 184 (sd 11).
        assertThat(steps).isEqualTo(500);
        assertThat(empty).isBetween(140, 230);
    }
}
