package dev.splitfed.grpc;

import dev.splitfed.grpc.internal.GrpcTransport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.compress.Codec;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.scheme.RoundMetrics;
import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.Simulation;
import dev.splitfed.scheme.SimulationConfig;
import dev.splitfed.scheme.SimulationListener;
import dev.splitfed.scheme.SimulationResult;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --secure-agg} over loopback gRPC with mutual TLS: masks differ from run to run, but the
 * unmasked sum is exact in fixed point, so the run ends bit for bit where the in-process one does,
 * with the same bytes, and within the fixed-point error of plain FedAvg.
 */
@Tag("deployment")
class SecureAggregationGrpcTest {

    private static DataSplit data;

    @BeforeAll
    static void loadSample() {
        data = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());
    }

    @ParameterizedTest
    @EnumSource(value = Scheme.class, names = {"FL", "SFLV1"})
    void secureRunOverTlsEqualsInProcessAndPlainFedAvg(Scheme scheme) {
        SimulationConfig.Builder builder = SimulationConfig.builder()
                .optScheme(scheme).optClients(3).optLimit(300).optBatchSize(32).optRounds(2).optThreads(1);
        SimulationConfig config = builder.optSecureAgg(true).build();
        SimulationResult local = new Simulation(config, data, "lenet5").run(new SimulationListener() {});
        SimulationResult remote;
        try (GrpcTransport grpc = GrpcTransport.loopback(true, Duration.ofMinutes(1), Codec.NONE)) {
            remote = new Simulation(config, data, "lenet5").run(new SimulationListener() {}, null, grpc);
        }
        assertThat(remote.globalWeights()).containsExactly(local.globalWeights());
        for (int r = 0; r < 2; r++) {
            RoundMetrics a = local.rounds().get(r);
            RoundMetrics b = remote.rounds().get(r);
            assertThat(b.testAccuracy()).isEqualTo(a.testAccuracy());
            assertThat(b.bytesUp()).isEqualTo(a.bytesUp());
            assertThat(b.bytesDown()).isEqualTo(a.bytesDown());
        }
        SimulationResult plain = new Simulation(builder.optSecureAgg(false).build(), data, "lenet5")
                .run(new SimulationListener() {});
        double max = 0;
        for (int i = 0; i < plain.globalWeights().length; i++) {
            max = Math.max(max, Math.abs(plain.globalWeights()[i] - remote.globalWeights()[i]));
        }
        assertThat(max).isLessThanOrEqualTo(1e-4);
    }
}
