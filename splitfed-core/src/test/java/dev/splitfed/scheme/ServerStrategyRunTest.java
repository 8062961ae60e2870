package dev.splitfed.scheme;

import dev.splitfed.internal.scheme.Roles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import dev.splitfed.aggregate.Strategy;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.internal.model.SplitModel;
import dev.splitfed.privacy.DpFedAvgConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code --strategy} and {@code --prox-mu} in whole runs: resume, secure aggregation, DP-FedAvg, FedProx. */
@Tag("long")
class ServerStrategyRunTest {

    private static DataSplit data;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadSample() {
        data = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());
    }

    private static SimulationConfig.Builder small(Scheme scheme) {
        return SimulationConfig.builder().optScheme(scheme).optClients(3).optLimit(300).optBatchSize(32).optRounds(3)
                .optThreads(1).optSeed(4);
    }

    private static SimulationResult run(SimulationConfig config, Checkpoint from, AtomicReference<Checkpoint> keep) {
        return new Simulation(config, data, "lenet5").run(new SimulationListener() {
            @Override
            public void roundFinished(RoundMetrics metrics, Checkpoint checkpoint) {
                if (metrics.round() == 1 && keep != null) {
                    keep.set(checkpoint);
                }
            }
        }, from);
    }

    private static double distance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }

    @ParameterizedTest
    @EnumSource(value = Scheme.class, names = {"FL", "SFLV1", "SFLV2"})
    void aResumedFedAdamRunEqualsTheUninterruptedOneBitForBit(Scheme scheme) {
        SimulationConfig config = small(scheme).optStrategy(Strategy.parse("fedadam:lr=0.003")).build();
        AtomicReference<Checkpoint> afterOne = new AtomicReference<>();
        SimulationResult whole = run(config, null, afterOne);
        afterOne.get().write(dir);
        Checkpoint read = Checkpoint.read(dir);
        assertThat(read.serverState()).containsOnlyKeys(scheme == Scheme.SFLV1
                ? new String[] {Roles.FED_OPTIMIZER, Roles.MAIN_OPTIMIZER} : new String[] {Roles.FED_OPTIMIZER});
        SimulationResult resumed = run(config, read, null);
        assertThat(resumed.rounds()).hasSize(2);
        assertThat(resumed.globalWeights()).containsExactly(whole.globalWeights());
        assertThat(resumed.rounds().get(1).testAccuracy()).isEqualTo(whole.rounds().get(2).testAccuracy());
        // Without the optimizer's moments the resumed run would go elsewhere.
        SimulationResult forgetful = run(config, new Checkpoint(1, read.globalWeights()), null);
        assertThat(forgetful.globalWeights()).isNotEqualTo(whole.globalWeights());
    }

    @Test
    void fedAvgMWithoutMomentumAtRateOneTrainsAsFedAvg() {
        SimulationResult plain = run(small(Scheme.SFLV1).optRounds(2).build(), null, null);
        SimulationResult avgm =
                run(small(Scheme.SFLV1).optRounds(2).optStrategy(Strategy.parse("fedavgm:lr=1,momentum=0")).build(), null, null);
        assertThat(avgm.globalWeights()).containsExactly(plain.globalWeights());
    }

    @Test
    void fedAdamComposesWithSecureAggregation() {
        Strategy adam = Strategy.parse("fedadam:lr=0.003");
        SimulationResult clear = run(small(Scheme.FL).optRounds(2).optStrategy(adam).build(), null, null);
        SimulationResult secure =
                run(small(Scheme.FL).optRounds(2).optStrategy(adam).optSecureAgg(true).build(), null, null);
        SimulationResult plain = run(small(Scheme.FL).optRounds(2).optSecureAgg(true).build(), null, null);
        double fixedPointError = Weights.maxAbsDifference(clear.globalWeights(), secure.globalWeights());
        assertThat(fixedPointError).isLessThan(1e-3);
        assertThat(Weights.maxAbsDifference(plain.globalWeights(), secure.globalWeights()))
                .as("FedAdam moved the securely aggregated model").isGreaterThan(100 * fixedPointError);
    }

    @Test
    void dpFedAvgHandsItsNoisedUpdateToTheServerOptimizer() {
        SimulationConfig.Builder dp = small(Scheme.FL).optRounds(2).optDpFedAvg(DpFedAvgConfig.parse("noise=1,clip=1"));
        SimulationResult plain = run(dp.build(), null, null);
        SimulationResult avgm = run(dp.optStrategy(Strategy.parse("fedavgm:lr=1,momentum=0")).build(), null, null);
        SimulationResult adam = run(dp.optStrategy(Strategy.parse("fedadam")).build(), null, null);
        assertThat(avgm.globalWeights()).containsExactly(plain.globalWeights());
        assertThat(adam.globalWeights()).isNotEqualTo(plain.globalWeights());
    }

    @ParameterizedTest
    @EnumSource(value = Scheme.class, names = {"FL", "SFLV1"})
    void fedProxKeepsEachPartyNearerTheRoundsWeights(Scheme scheme) {
        SimulationConfig base = small(scheme).optRounds(1).build();
        float[] start;
        Simulation shape = new Simulation(base, data, "lenet5");
        try (SplitModel model = SplitModel.create(shape.architecture(), 1)) {
            start = SplitModel.concat(model.client().defaultInitialWeights(4, "init-client"),
                    model.server().defaultInitialWeights(4, "init-server"));
        }
        SimulationResult plain = run(base, null, null);
        SimulationResult zero = run(small(scheme).optRounds(1).optProxMu(0).build(), null, null);
        // lr 0.01: mu 20 pulls back 0.2 (w - w_start) a step, strongly but stably under momentum 0.9.
        SimulationResult prox = run(small(scheme).optRounds(1).optProxMu(20).build(), null, null);
        assertThat(zero.globalWeights()).containsExactly(plain.globalWeights());
        SplitLayout layout = SplitLayout.of(shape.architecture(), 1, base.labels());
        // After one round the global model is the mean of the parties' weights: each party's step
        // away from the round's weights is damped, on W_C and (sflv1: every copy of W_S) on W_S alike.
        for (boolean client : new boolean[] {true, false}) {
            UnaryOperator<float[]> part = client ? layout::clientPart : layout::serverPart;
            double moved = distance(part.apply(plain.globalWeights()), part.apply(start));
            double damped = distance(part.apply(prox.globalWeights()), part.apply(start));
            assertThat(damped).as(client ? "W_C" : "W_S").isLessThan(0.8 * moved).isGreaterThan(0);
        }
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> small(Scheme.SL).optStrategy(Strategy.parse("fedadam")).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("strategy fedadam moves the weights the fed server aggregates, so it needs fl, sflv1 "
                        + "or sflv2, not sl");
        assertThatThrownBy(() -> small(Scheme.FL).optProxMu(-0.1).build()).isInstanceOf(InvalidInputException.class)
                .hasMessage("prox-mu must be a finite number >= 0, got -0.1");
        assertThatThrownBy(() -> small(Scheme.FL).optProxMu(Double.NaN).build()).isInstanceOf(InvalidInputException.class);
        Map<String, Object> map = small(Scheme.FL).optStrategy(Strategy.parse("fedyogi:lr=0.02")).optProxMu(0.01).build()
                .toSettings();
        assertThat(map).containsEntry("strategy", "fedyogi:lr=0.02,b1=0.9,b2=0.99,tau=0.001").containsEntry("prox-mu", 0.01);
    }
}
