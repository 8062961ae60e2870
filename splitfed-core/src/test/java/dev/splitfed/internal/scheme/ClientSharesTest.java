package dev.splitfed.internal.scheme;

import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.SimulationConfig;
import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.data.Dataset;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.internal.data.LocalHoldout;
import dev.splitfed.data.Partitioner;
import dev.splitfed.internal.random.Seeds;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Each client's training samples: the run's partition of its limited training set, less the client's holdout. */
class ClientSharesTest {

    private static final Dataset TRAIN = DatasetCatalog.load("fashion-mnist-sample", null, Map.of()).train();

    @Test
    void eachClientTrainsOnItsPartLessItsHoldout() {
        SimulationConfig cfg = SimulationConfig.builder().optDataset("fashion-mnist-sample").optClients(4)
                .optPartition("dirichlet:0.5").optLimit(1000).optSeed(9).optPersonalHoldout(0.2).build();
        ClientShares shares = ClientShares.of(cfg, TRAIN);
        Dataset limited = TRAIN.head(1000);
        int[][] parts = Partitioner.parse("dirichlet:0.5").partition(limited, 4, Seeds.derive(9, "partition"));
        assertThat(shares.train().size()).isEqualTo(1000);
        for (int k = 0; k < 4; k++) {
            LocalHoldout split = LocalHoldout.of(parts[k], 0.2, 9, k);
            assertThat(shares.training()[k]).containsExactly(split.train());
            assertThat(shares.holdout()[k]).containsExactly(split.test());
            assertThat(shares.holdout()[k]).hasSize((int) Math.floor(0.2 * parts[k].length));
        }
        assertThat(ClientShares.of(cfg, limited).training()).as("the limit applies once").isDeepEqualTo(shares.training());
    }

    @Test
    void theCentralPartyHoldsEverySampleAndNothingIsHeldOutByDefault() {
        SimulationConfig cfg = SimulationConfig.builder().optScheme(Scheme.CENTRAL).optDataset("fashion-mnist-sample")
                .optLimit(300).build();
        ClientShares shares = ClientShares.of(cfg, TRAIN);
        assertThat(shares.training()).hasDimensions(1, 300);
        assertThat(shares.training()[0]).containsExactly(IntStream.range(0, 300).toArray());
        assertThat(shares.holdout()).isNull();
    }

    @Test
    void aClientWithDataOfItsOwnHoldsOutTheSameShare() {
        SimulationConfig held = SimulationConfig.builder().optSeed(5).optPersonalHoldout(0.25).build();
        int[] natural = IntStream.range(0, 12).toArray();
        assertThat(ClientShares.ofOwn(held, 12, 3)).hasSize(9)
                .containsExactly(LocalHoldout.of(natural, 0.25, 5, 3).train());
        assertThat(ClientShares.ofOwn(SimulationConfig.builder().build(), 12, 3)).containsExactly(natural);
    }
}
