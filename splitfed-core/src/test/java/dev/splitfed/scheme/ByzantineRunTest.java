package dev.splitfed.scheme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import dev.splitfed.aggregate.AggregatorSpec;
import dev.splitfed.byzantine.Attack;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.privacy.DpFedAvgConfig;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Robust aggregation against malicious clients, end to end in one process, and the settings it refuses. */
@Tag("long")
class ByzantineRunTest {

    private static DataSplit data;

    @BeforeAll
    static void loadSample() {
        data = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());
    }

    /** 2000 samples over 5 clients, 3 rounds at lr 0.05: a clean run reaches about 0.55. */
    private static SimulationConfig.Builder small(Scheme scheme) {
        return SimulationConfig.builder().optScheme(scheme).optClients(5).optLimit(2000).optBatchSize(32).optRounds(3)
                .optLearningRate(0.05f).optThreads(1).optSeed(1);
    }

    private static double accuracy(SimulationConfig config) {
        SimulationResult result = new Simulation(config, data, "lenet5").run(new SimulationListener() {});
        return result.rounds().get(result.rounds().size() - 1).testAccuracy();
    }

    @Test
    void aSignFlippingClientRuinsFedAvgButNotMedianOrKrum() {
        double clean = accuracy(small(Scheme.FL).build());
        SimulationConfig.Builder attacked = small(Scheme.FL).optMalicious(1).optAttack(Attack.parse("sign-flip:10"));
        double fedAvg = accuracy(attacked.build());
        double median = accuracy(attacked.optAggregator(AggregatorSpec.parse("median")).build());
        double krum = accuracy(attacked.optAggregator(AggregatorSpec.parse("krum")).build());
        assertThat(clean).isGreaterThan(0.45);
        // Ten classes: FedAvg is back to guessing.
        assertThat(fedAvg).isLessThan(0.15);
        assertThat(median).isGreaterThan(clean - 0.15);
        assertThat(krum).isGreaterThan(clean - 0.15);
    }

    @Test
    void sflv1sMainServerMedianDefendsTheServerSideCopies() {
        SimulationConfig.Builder attacked = small(Scheme.SFLV1).optMalicious(1).optAttack(Attack.parse("sign-flip:10"));
        double fedAvg = accuracy(attacked.build());
        double median = accuracy(attacked.optAggregator(AggregatorSpec.parse("median")).build());
        assertThat(median).isGreaterThan(0.45).isGreaterThan(fedAvg + 0.1);
    }

    @Test
    void theMaliciousClientsAreRecordedAndTheSameForTheSameSeed() {
        SimulationConfig config = small(Scheme.FL).optClients(10).optMalicious(3).optAttack(Attack.parse("label-flip"))
                .build();
        assertThat(config.maliciousClients()).hasSize(3).isEqualTo(Attack.malicious(3, 10, 1));
        assertThat(config.toSettings()).containsEntry("malicious", 3).containsEntry("attack", "label-flip")
                .containsEntry("aggregator", "fedavg");
        assertThat(small(Scheme.FL).build().maliciousClients()).isEmpty();
        assertThat(small(Scheme.FL).build().toSettings()).doesNotContainKeys("malicious", "attack");
    }

    @Test
    void refusesRobustRulesWhereTheServerCannotSeeTheUpdates() {
        AggregatorSpec median = AggregatorSpec.parse("median");
        assertThatThrownBy(() -> small(Scheme.FL).optAggregator(median).optSecureAgg(true).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("secure-agg");
        assertThatThrownBy(() -> small(Scheme.FL).optAggregator(median)
                .optDpFedAvg(DpFedAvgConfig.parse("noise=1,clip=1")).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("dp-fedavg");
        assertThatThrownBy(() -> small(Scheme.SL).optAggregator(median).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not to sl");
        // FedAvg goes with both, as before.
        assertThat(small(Scheme.FL).optSecureAgg(true).build().aggregator().isFedAvg()).isTrue();
    }

    @Test
    void refusesTooFewClientsForTheAskedF() {
        assertThatThrownBy(() -> small(Scheme.FL).optAggregator(AggregatorSpec.parse("krum:f=2")).build())
                .isInstanceOf(InvalidInputException.class).hasMessage("aggregator krum:f=2 needs at least 7 clients a round, got 5");
        assertThatThrownBy(() -> small(Scheme.FL).optClients(10).optFraction(0.5)
                .optAggregator(AggregatorSpec.parse("bulyan:f=1")).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("at least 7 clients a round, got 5");
        assertThatThrownBy(() -> small(Scheme.FL).optClients(2).optAggregator(AggregatorSpec.parse("krum")).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("at least 3");
        assertThat(small(Scheme.FL).optClients(7).optAggregator(AggregatorSpec.parse("krum:f=2")).build()
                .aggregator().spec()).isEqualTo("krum:f=2");
    }

    @Test
    void refusesMaliciousClientsWithoutAnAttackOrBeyondTheClients() {
        assertThatThrownBy(() -> small(Scheme.FL).optMalicious(1).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("attack");
        assertThatThrownBy(() -> small(Scheme.FL).optMalicious(6).optAttack(Attack.parse("label-flip")).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("malicious must be in 0 to 5");
        assertThatThrownBy(() -> small(Scheme.CENTRAL).optMalicious(1).optAttack(Attack.parse("label-flip")).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("central");
    }
}
