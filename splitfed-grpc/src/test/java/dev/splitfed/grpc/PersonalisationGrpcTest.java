package dev.splitfed.grpc;

import dev.splitfed.grpc.internal.GrpcTransport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.compress.Codec;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.model.LabelSharing;
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
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SCAFFOLD's control variates and FedPer's personal heads over loopback gRPC with mutual TLS: the
 * control variates ride in the weight messages and the heads stay with the clients, so the runs end
 * bit for bit where the in-process ones do, with the same bytes and the same personal accuracy.
 */
@Tag("deployment")
class PersonalisationGrpcTest {

    private static DataSplit data;

    @BeforeAll
    static void loadSample() {
        data = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());
    }

    @ParameterizedTest
    @CsvSource({"FL, true, false", "SFLV1, true, false", "FL, false, true", "SFLV1, false, true"})
    void runOverTlsEqualsInProcess(Scheme scheme, boolean scaffold, boolean personalHead) {
        SimulationConfig config = SimulationConfig.builder()
                .optScheme(scheme).optClients(3).optLimit(300).optBatchSize(32).optRounds(2).optThreads(1)
                .optMomentum(0f).optPartition("shards:2").optScaffold(scaffold).optPersonalHead(personalHead)
                .optLabels(personalHead && scheme.isSplit() ? LabelSharing.PRIVATE : LabelSharing.SHARED).build();
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
            assertThat(b.personalAccuracy()).isEqualTo(a.personalAccuracy());
            assertThat(b.bytesUp()).isEqualTo(a.bytesUp());
            assertThat(b.bytesDown()).isEqualTo(a.bytesDown());
            assertThat(b.predictedBytes()).isEqualTo(a.predictedBytes());
        }
    }
}
