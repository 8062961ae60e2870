package dev.splitfed.grpc;

import dev.splitfed.grpc.internal.GrpcTransport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.privacy.SmashedNoise;
import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.Simulation;
import dev.splitfed.scheme.SimulationConfig;
import dev.splitfed.scheme.SimulationListener;
import dev.splitfed.scheme.SimulationResult;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The noise at the cut is drawn in the same order over loopback gRPC as in process: the runs end alike. */
@Tag("deployment")
class NoisyRunOverGrpcTest {

    @ParameterizedTest
    @CsvSource({"sflv1, laplace:0.001", "sl, gaussian:0.05", "sflv2, laplace:0.01"})
    void noisyRunOverTlsEqualsInProcess(String scheme, String noise) {
        DataSplit data = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());
        SimulationConfig config = SimulationConfig.builder()
                .optScheme(Scheme.parse(scheme)).optSmashedNoise(SmashedNoise.parse(noise))
                .optClients(3).optLimit(300).optBatchSize(32).optRounds(2).optThreads(1).build();
        SimulationResult local = new Simulation(config, data, "lenet5").run(new SimulationListener() {});
        SimulationResult plain = new Simulation(SimulationConfig.builder()
                .optScheme(Scheme.parse(scheme)).optClients(3).optLimit(300).optBatchSize(32).optRounds(2).optThreads(1)
                .build(), data, "lenet5").run(new SimulationListener() {});
        SimulationResult remote;
        try (GrpcTransport grpc = GrpcTransport.loopback(true, Duration.ofMinutes(1), config.compress())) {
            remote = new Simulation(config, data, "lenet5").run(new SimulationListener() {}, null, grpc);
        }
        assertThat(remote.globalWeights()).containsExactly(local.globalWeights());
        assertThat(local.globalWeights()).as("the noise changed the run").isNotEqualTo(plain.globalWeights());
        for (int r = 0; r < 2; r++) {
            assertThat(remote.rounds().get(r).testAccuracy()).isEqualTo(local.rounds().get(r).testAccuracy());
            assertThat(remote.rounds().get(r).testLoss()).isEqualTo(local.rounds().get(r).testLoss());
        }
    }
}
