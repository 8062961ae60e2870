package dev.splitfed.scheme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import dev.splitfed.aggregate.AggregatorSpec;
import dev.splitfed.byzantine.Attack;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.hetero.FedBuffConfig;
import dev.splitfed.privacy.DpSgdConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The features of issue 7 meet each other: what is refused, with one sentence, because the two
 * together would be silently wrong, and what a run's settings keep when written out and read back.
 */
class CompositionRulesTest {

    private static SimulationConfig.Builder builder(Scheme scheme) {
        return SimulationConfig.builder().optScheme(scheme).optClients(10).optLimit(600).optThreads(1);
    }

    private static SimulationConfig.Builder scaffold(Scheme scheme) {
        return builder(scheme).optScaffold(true).optMomentum(0f);
    }

    @Test
    void scaffoldRefusesWhatWouldSteerOrSkipItsControlVariate() {
        assertThatThrownBy(() -> scaffold(Scheme.FL).optAggregator(AggregatorSpec.parse("median")).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("scaffold cannot go with aggregator median");
        assertThatThrownBy(() -> scaffold(Scheme.FL).optMalicious(1).optAttack(Attack.parse("sign-flip")).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("scaffold cannot go with attack");
        assertThatThrownBy(() -> scaffold(Scheme.SFLV2).optDeadline(1).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("deadline in sflv2");
        assertThat(scaffold(Scheme.SFLV1).optDeadline(1).build().deadline()).isEqualTo(1.0);
    }

    @Test
    void fedBuffRefusesWhatItsServerStepsWouldIgnore() {
        FedBuffConfig three = FedBuffConfig.parse("buffer=3");
        assertThatThrownBy(() -> builder(Scheme.FL).optFedBuff(three)
                        .optDpSgd(DpSgdConfig.parse("noise=1,clip=1")).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("async cannot go with dp-sgd");
        assertThatThrownBy(() -> builder(Scheme.FL).optFedBuff(three).optPersonalHoldout(0.2).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("personal-holdout");
        // A step aggregates the 3 buffered updates, too few for Krum with f = 2 (7 needed).
        assertThatThrownBy(() -> builder(Scheme.FL).optFedBuff(three).optAggregator(AggregatorSpec.parse("krum:f=2")).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("needs at least 7 clients a round, got 3");
        assertThat(builder(Scheme.FL).optAggregator(AggregatorSpec.parse("krum:f=2")).build().clients()).isEqualTo(10);
    }

    @Test
    void proxMuNeedsAFedServerThatAverages() {
        for (Scheme scheme : new Scheme[] {Scheme.SL, Scheme.CENTRAL}) {
            assertThatThrownBy(() -> builder(scheme).optProxMu(0.01).build())
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("not " + scheme.id());
        }
        assertThat(builder(Scheme.SFLV2).optProxMu(0.01).build().proxMu()).isEqualTo(0.01);
    }

    @Test
    void anExplicitHoldoutOfZeroSurvivesTheSettingsMap() {
        SimulationConfig config = builder(Scheme.FL).optPersonalHead(true).optPersonalHoldout(0.0).build();
        assertThat(config.personalHoldout()).isEqualTo(0.0);
        assertThat(config.toSettings()).containsEntry("personal-holdout", 0.0);
        assertThat(builder(Scheme.FL).optPersonalHead(true).build().toSettings()).containsEntry("personal-holdout", 0.2);
    }

    @Test
    void runsWhoseClientsKeepStateAreNotResumed() {
        var data = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());
        Checkpoint first = new Checkpoint(1, new float[61_706]);
        for (SimulationConfig config : new SimulationConfig[] {
            scaffold(Scheme.FL).optRounds(2).build(), builder(Scheme.FL).optRounds(2).optPersonalHead(true).build()}) {
            Simulation simulation = new Simulation(config, data, "lenet5");
            assertThatThrownBy(() -> simulation.run(new SimulationListener() {}, first))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("cannot be resumed");
        }
    }
}
