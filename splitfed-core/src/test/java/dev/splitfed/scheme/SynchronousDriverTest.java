package dev.splitfed.scheme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.hetero.DeviceSpeeds;
import dev.splitfed.privacy.DpFedAvgConfig;
import dev.splitfed.privacy.DpSgdConfig;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Synchronous rounds resumed from a checkpoint: the privacy spent and the simulated clock go on where they stood. */
class SynchronousDriverTest {

    @Test
    void aResumedRunSpendsAndTimesItsRoundsAsTheUninterruptedOne() {
        DataSplit data = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());
        SimulationConfig config = SimulationConfig.builder().optScheme(Scheme.FL).optClients(4).optFraction(0.5)
                .optLimit(200).optBatchSize(32).optRounds(3).optThreads(1).optSeed(6)
                .optDpSgd(DpSgdConfig.parse("noise=1,clip=1")).optDpFedAvg(DpFedAvgConfig.parse("noise=1,clip=1"))
                .optSpeeds(DeviceSpeeds.parse("lognormal:1")).build();
        AtomicReference<Checkpoint> afterOne = new AtomicReference<>();
        SimulationResult whole = new Simulation(config, data, "lenet5").run(new SimulationListener() {
            @Override
            public void roundFinished(RoundMetrics metrics, Checkpoint checkpoint) {
                if (metrics.round() == 1) {
                    afterOne.set(checkpoint);
                }
            }
        });
        SimulationResult resumed =
                new Simulation(config, data, "lenet5").run(new SimulationListener() {}, afterOne.get());
        assertThat(resumed.rounds()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            RoundMetrics was = whole.rounds().get(i + 1);
            RoundMetrics now = resumed.rounds().get(i);
            assertThat(now.round()).isEqualTo(was.round());
            assertThat(now.clients()).isEqualTo(was.clients());
            assertThat(now.epsilon()).isEqualTo(was.epsilon());
            assertThat(now.userEpsilon()).isEqualTo(was.userEpsilon());
            assertThat(now.simSeconds()).isEqualTo(was.simSeconds());
        }
        assertThat(whole.rounds().get(2).userEpsilon()).isGreaterThan(whole.rounds().get(0).userEpsilon());
        assertThat(whole.rounds().get(2).simSeconds()).isGreaterThan(whole.rounds().get(0).simSeconds());
    }
}
