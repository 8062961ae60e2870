package dev.splitfed.grpc;

import dev.splitfed.grpc.internal.GrpcTransport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.hetero.DeviceSpeeds;
import dev.splitfed.hetero.FedBuffConfig;
import dev.splitfed.hetero.Stragglers;
import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.Simulation;
import dev.splitfed.scheme.SimulationConfig;
import dev.splitfed.scheme.SimulationListener;
import dev.splitfed.scheme.SimulationResult;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** FedBuff and a deadline with partial work run over loopback gRPC exactly as in process. */
@Tag("deployment")
class AsyncOverGrpcTest {

    private static final DataSplit DATA = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());

    private static void assertSameOverGrpc(SimulationConfig config) {
        SimulationResult local = new Simulation(config, DATA, "lenet5").run(new SimulationListener() {});
        SimulationResult remote;
        try (GrpcTransport grpc = GrpcTransport.loopback(true, Duration.ofMinutes(1), config.compress())) {
            remote = new Simulation(config, DATA, "lenet5").run(new SimulationListener() {}, null, grpc);
        }
        assertThat(remote.globalWeights()).containsExactly(local.globalWeights());
        for (int r = 0; r < config.rounds(); r++) {
            assertThat(remote.rounds().get(r).testAccuracy()).isEqualTo(local.rounds().get(r).testAccuracy());
            assertThat(remote.rounds().get(r).simSeconds()).isEqualTo(local.rounds().get(r).simSeconds());
            assertThat(remote.rounds().get(r).clients()).isEqualTo(local.rounds().get(r).clients());
        }
    }

    @Test
    void fedBuffOverTlsEqualsInProcess() {
        // Clients arrive with stale weights: the servers keep the start of each job in flight.
        assertSameOverGrpc(SimulationConfig.builder().optScheme(Scheme.SFLV1).optClients(4).optLimit(400)
                .optBatchSize(32).optRounds(4).optThreads(1).optSpeeds(DeviceSpeeds.parse("lognormal:1"))
                .optFedBuff(FedBuffConfig.parse("buffer=2,concurrency=3")).build());
    }

    @Test
    void partialStragglersOverTlsEqualInProcess() {
        assertSameOverGrpc(SimulationConfig.builder().optScheme(Scheme.FL).optClients(4).optLimit(400)
                .optBatchSize(32).optRounds(2).optThreads(1).optSpeeds(DeviceSpeeds.parse("lognormal:1"))
                .optDeadline(0.01).optStragglers(Stragglers.PARTIAL).build());
    }
}
