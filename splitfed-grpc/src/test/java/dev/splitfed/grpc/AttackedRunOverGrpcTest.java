package dev.splitfed.grpc;

import dev.splitfed.grpc.internal.GrpcTransport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.aggregate.AggregatorSpec;
import dev.splitfed.byzantine.Attack;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.model.LabelSharing;
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

/**
 * Malicious clients poison alike over loopback gRPC and in process (their updates, and in split
 * schemes their smashed data, with gaussian noise drawn from the run seed), and a robust aggregator
 * at the fed server and sflv1's main server combines the same: the runs end alike.
 */
@Tag("deployment")
class AttackedRunOverGrpcTest {

    @ParameterizedTest
    @CsvSource({"fl, sign-flip:5, median, shared", "sflv1, gaussian:0.5, krum, shared",
        "sflv1, scale:3, trimmed-mean:0.34, private", "sflv2, label-flip, median, shared"})
    void attackedRunOverTlsEqualsInProcess(String scheme, String attack, String aggregator, String labels) {
        DataSplit data = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());
        SimulationConfig.Builder base = SimulationConfig.builder()
                .optScheme(Scheme.parse(scheme)).optLabels(LabelSharing.parse(labels))
                .optAggregator(AggregatorSpec.parse(aggregator))
                .optClients(3).optLimit(300).optBatchSize(32).optRounds(2).optThreads(1);
        SimulationConfig config = base.optMalicious(1).optAttack(Attack.parse(attack)).build();
        SimulationResult local = new Simulation(config, data, "lenet5").run(new SimulationListener() {});
        SimulationResult clean = new Simulation(base.optMalicious(0).optAttack(null).build(), data, "lenet5")
                .run(new SimulationListener() {});
        SimulationResult remote;
        try (GrpcTransport grpc = GrpcTransport.loopback(true, Duration.ofMinutes(1), config.compress())) {
            remote = new Simulation(config, data, "lenet5").run(new SimulationListener() {}, null, grpc);
        }
        assertThat(remote.globalWeights()).containsExactly(local.globalWeights());
        assertThat(local.globalWeights()).as("the attack changed the run").isNotEqualTo(clean.globalWeights());
        for (int r = 0; r < 2; r++) {
            assertThat(remote.rounds().get(r).testAccuracy()).isEqualTo(local.rounds().get(r).testAccuracy());
            assertThat(remote.rounds().get(r).trainLoss()).isEqualTo(local.rounds().get(r).trainLoss());
        }
    }
}
