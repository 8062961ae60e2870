package dev.splitfed.scheme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.InvalidInputException;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.privacy.DpFedAvgConfig;
import dev.splitfed.privacy.DpSgdConfig;
import dev.splitfed.internal.privacy.RdpAccountant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** DP-SGD on the clients and DP-FedAvg at the fed server, end to end on the bundled sample. */
@Tag("long")
class PrivateTrainingTest {

    private static DataSplit data;

    @BeforeAll
    static void loadSample() {
        data = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());
    }

    /** 640 samples, 4 clients of 160, batches of 32: 5 steps a round, q = 0.2. */
    private static SimulationConfig.Builder small() {
        return SimulationConfig.builder().optLimit(640).optClients(4).optBatchSize(32).optRounds(2).optThreads(1).optSeed(5);
    }

    private static SimulationResult train(SimulationConfig config) {
        return new Simulation(config, data, "lenet5").run(new SimulationListener() {});
    }

    private static double maxAbsDifference(float[] a, float[] b, int n) {
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** Sample by sample, unclipped and without noise, DP-SGD's gradient is the batch's mean gradient. */
    @ParameterizedTest
    @EnumSource(value = Scheme.class, names = {"CENTRAL", "FL", "SL", "SFLV1"})
    void withoutClippingOrNoisePerSampleGradientsAddUpToTheBatchGradient(Scheme scheme) {
        float[] plain = train(small().optScheme(scheme).build()).globalWeights();
        float[] dp = train(small().optScheme(scheme).optDpSgd(DpSgdConfig.parse("noise=1e-12,clip=1e4,sampling=shuffle"))
                .build()).globalWeights();
        assertThat(maxAbsDifference(plain, dp, plain.length)).isLessThanOrEqualTo(2e-5);
    }

    /** With private labels the client clips bottom and head together; unclipped and noiseless, that is plain training. */
    @ParameterizedTest
    @EnumSource(value = Scheme.class, names = {"SL", "SFLV1"})
    void uShapedPerSampleGradientsAddUpToTheBatchGradient(Scheme scheme) {
        SimulationConfig.Builder base = small().optScheme(scheme).optLabels(LabelSharing.PRIVATE);
        float[] plain = train(base.build()).globalWeights();
        float[] dp = train(base.optDpSgd(DpSgdConfig.parse("noise=1e-12,clip=1e4,sampling=shuffle")).build())
                .globalWeights();
        assertThat(maxAbsDifference(plain, dp, plain.length)).isLessThanOrEqualTo(2e-5);
    }

    /** Every sample's gradient clipped to C moves plain SGD by at most lr * C a step. */
    @Test
    void clippingBoundsHowFarEachStepMovesTheClientSideWeights() {
        float lr = 0.05f;
        double clip = 0.01;
        SimulationConfig.Builder base = small().optScheme(Scheme.SFLV1).optRounds(1).optMomentum(0).optLearningRate(lr);
        float[] start = train(base.optLearningRate(1e-30f).build()).globalWeights();
        float[] unclipped = train(base.optLearningRate(lr).build()).globalWeights();
        float[] clipped = train(base.optLearningRate(lr)
                .optDpSgd(DpSgdConfig.parse("noise=1e-9,clip=" + clip + ",sampling=shuffle")).build()).globalWeights();
        int clientSide = 156;
        double moved = norm(clipped, start, clientSide);
        // 5 steps of at most lr * clip each, averaged over the clients.
        assertThat(moved).isGreaterThan(0).isLessThanOrEqualTo(5 * lr * clip + 1e-6);
        assertThat(norm(unclipped, start, clientSide)).as("without clipping it moves further").isGreaterThan(5 * moved);
    }

    private static double norm(float[] a, float[] b, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    @Test
    void epsilonAfterEachRoundIsTheAccountantsForTheClientsSteps() {
        List<RoundMetrics> rounds = train(small().optScheme(Scheme.SFLV1).optDpSgd(DpSgdConfig.parse("noise=1.1,clip=1"))
                .build()).rounds();
        for (RoundMetrics m : rounds) {
            RdpAccountant expected = new RdpAccountant(0.2, 1.1);
            expected.step(5L * m.round());
            assertThat(m.epsilon()).isEqualTo(expected.epsilon(1e-5, RdpAccountant.Conversion.CLASSIC));
            assertThat(m.userEpsilon()).isNull();
        }
        assertThat(rounds.get(1).epsilon()).isGreaterThan(rounds.get(0).epsilon());
    }

    @Test
    void poissonSampledDpSgdStillLearns() {
        SimulationResult result = train(small().optScheme(Scheme.SFLV1).optLimit(2000).optRounds(3).optLearningRate(0.05f)
                .optDpSgd(DpSgdConfig.parse("noise=0.5,clip=1")).build());
        assertThat(result.rounds().get(2).testAccuracy()).isGreaterThan(0.4);
    }

    /** With every client sampled, equal shares and no clipping or noise, DP-FedAvg is FedAvg. */
    @ParameterizedTest
    @EnumSource(value = Scheme.class, names = {"FL", "SFLV1"})
    void withoutClippingOrNoiseDpFedAvgIsFedAvgOverEqualClients(Scheme scheme) {
        float[] plain = train(small().optScheme(scheme).build()).globalWeights();
        SimulationResult dp = train(small().optScheme(scheme).optDpFedAvg(DpFedAvgConfig.parse("noise=1e-12,clip=1e4"))
                .build());
        assertThat(maxAbsDifference(plain, dp.globalWeights(), plain.length)).isLessThanOrEqualTo(2e-5);
        RdpAccountant users = new RdpAccountant(1, 1e-12);
        users.step(2);
        assertThat(dp.rounds().get(1).userEpsilon()).isEqualTo(users.epsilon(1e-5, RdpAccountant.Conversion.CLASSIC));
    }

    @Test
    void dpFedAvgSamplesClientsIndependentlyAndCountsRoundsWithoutAnyone() {
        SimulationResult dp = train(small().optScheme(Scheme.FL).optRounds(6).optFraction(0.25)
                .optDpFedAvg(DpFedAvgConfig.parse("noise=1,clip=0.1")).build());
        RdpAccountant users = new RdpAccountant(0.25, 1);
        for (RoundMetrics m : dp.rounds()) {
            users.step(1);
            assertThat(m.userEpsilon()).isCloseTo(users.epsilon(1e-5, RdpAccountant.Conversion.CLASSIC), within(1e-12));
        }
        assertThat(dp.rounds().stream().mapToInt(RoundMetrics::clients).distinct().count())
                .as("Poisson sampling varies the number of clients").isGreaterThan(1);
    }

    @Test
    void dpFedAvgNeedsAnAveragingScheme() {
        assertThatThrownBy(() -> small().optScheme(Scheme.SL).optDpFedAvg(DpFedAvgConfig.parse("noise=1,clip=1")).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("dp-fedavg protects what the fed server averages, so it needs fl, sflv1 or sflv2, not sl");
    }
}
