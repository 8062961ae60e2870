package dev.splitfed.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.scheme.RoundMetrics;
import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.Simulation;
import dev.splitfed.scheme.SimulationConfig;
import dev.splitfed.scheme.SimulationListener;
import dev.splitfed.scheme.SimulationResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every scheme trained over loopback gRPC with mutual TLS ends exactly where the in-process run does. */
class GrpcTransportTest {

    private static DataSplit data;

    @BeforeAll
    static void loadSample() {
        data = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());
    }

    @ParameterizedTest
    @EnumSource(value = Scheme.class, names = {"FL", "SL", "SFLV1", "SFLV2"})
    void schemeOverTlsEqualsInProcess(Scheme scheme) {
        SimulationConfig config = SimulationConfig.builder()
                .optScheme(scheme).optClients(3).optLimit(300).optBatchSize(32).optRounds(2).optThreads(1).build();
        SimulationResult local = new Simulation(config, data, "lenet5").run(new SimulationListener() {});
        SimulationResult remote;
        try (GrpcTransport grpc = GrpcTransport.loopback(true, Duration.ofMinutes(1))) {
            remote = new Simulation(config, data, "lenet5").run(new SimulationListener() {}, null, grpc);
        }
        assertThat(remote.globalWeights()).containsExactly(local.globalWeights());
        List<RoundMetrics> a = local.rounds();
        List<RoundMetrics> b = remote.rounds();
        for (int r = 0; r < a.size(); r++) {
            assertThat(b.get(r).testAccuracy()).isEqualTo(a.get(r).testAccuracy());
            assertThat(b.get(r).trainLoss()).isEqualTo(a.get(r).trainLoss());
        }
    }
}
