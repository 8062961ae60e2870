package dev.splitfed.scheme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import dev.splitfed.compress.Codec;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.privacy.DpFedAvgConfig;
import dev.splitfed.privacy.DpSgdConfig;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SCAFFOLD runs end to end: with c = c_i = 0 the first round is FedAvg's exactly, the control
 * variates double the exchange with the fed server, and the cost model predicts it. LeNet-5 cut 1:
 * q = 1176, |W_C| = 156, |W| = 61,706.
 */
@Tag("long")
class ScaffoldRunTest {

    private static final long Q = 1176;
    private static final long W_C = 156;
    private static final long W = 61_706;
    private static DataSplit data;

    @BeforeAll
    static void loadSample() {
        data = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());
    }

    private static SimulationConfig.Builder builder(Scheme scheme) {
        // 300 samples over 3 iid clients of 100, batches of 32: 4 steps a round each; plain SGD.
        return SimulationConfig.builder().optScheme(scheme).optClients(3).optLimit(300).optBatchSize(32)
                .optMomentum(0f).optLearningRate(0.05f).optThreads(1);
    }

    @ParameterizedTest
    @EnumSource(value = Scheme.class, names = {"FL", "SFLV1", "SFLV2"})
    void firstRoundEqualsFedAvgAndTheNextDoesNot(Scheme scheme) {
        SimulationResult plain1 = new Simulation(builder(scheme).optRounds(1).build(), data, "lenet5")
                .run(new SimulationListener() {});
        SimulationResult scaffold1 = new Simulation(builder(scheme).optRounds(1).optScaffold(true).build(), data, "lenet5")
                .run(new SimulationListener() {});
        assertThat(scaffold1.globalWeights()).containsExactly(plain1.globalWeights());
        SimulationResult plain2 = new Simulation(builder(scheme).optRounds(2).build(), data, "lenet5")
                .run(new SimulationListener() {});
        SimulationResult scaffold2 = new Simulation(builder(scheme).optRounds(2).optScaffold(true).build(), data, "lenet5")
                .run(new SimulationListener() {});
        // From round 2 on, c - c_i is not zero: only the client part trains differently in split schemes.
        int n = scheme == Scheme.FL ? (int) W : (int) W_C;
        assertThat(Arrays.copyOf(scaffold2.globalWeights(), n)).isNotEqualTo(Arrays.copyOf(plain2.globalWeights(), n));
    }

    @Test
    void sflv1WithControlVariatesOnBothSidesEqualsScaffoldFl() {
        // The fed server corrects W_C and the main server each client's copy of W_S with the same
        // option II, so the SFLV1 = FedAvg invariant carries over to SCAFFOLD.
        SimulationResult fl = new Simulation(builder(Scheme.FL).optRounds(3).optScaffold(true).build(), data, "lenet5")
                .run(new SimulationListener() {});
        SimulationResult sflv1 = new Simulation(builder(Scheme.SFLV1).optRounds(3).optScaffold(true).build(), data,
                "lenet5").run(new SimulationListener() {});
        SimulationResult plain = new Simulation(builder(Scheme.SFLV1).optRounds(3).build(), data, "lenet5")
                .run(new SimulationListener() {});
        double max = 0;
        double fromPlain = 0;
        for (int i = 0; i < fl.globalWeights().length; i++) {
            max = Math.max(max, Math.abs(fl.globalWeights()[i] - sflv1.globalWeights()[i]));
            fromPlain = Math.max(fromPlain, Math.abs(plain.globalWeights()[i] - sflv1.globalWeights()[i]));
        }
        assertThat(max).isLessThanOrEqualTo(1e-5);
        assertThat(fromPlain).isGreaterThan(1e-4);
    }

    @Test
    void dpSgdWithoutClippingOrNoiseCorrectsItsStepsAsPlainTrainingDoes() {
        // Sample by sample, unclipped and noiseless, DP-SGD's gradient is the batch's; the correction is added to it.
        SimulationResult plain = new Simulation(builder(Scheme.FL).optRounds(2).optScaffold(true).build(), data, "lenet5")
                .run(new SimulationListener() {});
        SimulationResult dp = new Simulation(builder(Scheme.FL).optRounds(2).optScaffold(true)
                .optDpSgd(DpSgdConfig.parse("noise=1e-12,clip=1e4,sampling=shuffle")).build(), data, "lenet5")
                .run(new SimulationListener() {});
        double max = 0;
        for (int i = 0; i < plain.globalWeights().length; i++) {
            max = Math.max(max, Math.abs(plain.globalWeights()[i] - dp.globalWeights()[i]));
        }
        assertThat(max).isLessThanOrEqualTo(2e-5);
    }

    @Test
    void controlVariatesDoubleTheFedServerTrafficAndTheCostModelKnows() {
        RoundMetrics fl = new Simulation(builder(Scheme.FL).optRounds(1).optScaffold(true).build(), data, "lenet5")
                .run(new SimulationListener() {}).rounds().get(0);
        // Weights and c down, weights, delta c_i and the sample count up.
        assertThat(fl.bytesDown()).isEqualTo(3 * (2 * 4 * W));
        assertThat(fl.bytesUp()).isEqualTo(3 * (2 * 4 * W + 4));
        assertThat(fl.predictedBytes()).isEqualTo(3 * (4 * 4 * W));

        RoundMetrics sflv1 = new Simulation(builder(Scheme.SFLV1).optRounds(1).optScaffold(true).build(), data, "lenet5")
                .run(new SimulationListener() {}).rounds().get(0);
        long n = 100;
        long batches = 4;
        assertThat(sflv1.bytesUp()).isEqualTo(3 * (4 * n * Q + 4 * n + 2 * 4 * W_C + 4));
        assertThat(sflv1.bytesDown()).isEqualTo(3 * (4 * n * Q + 4 * batches + 2 * 4 * W_C));
        // The cost model leaves out only the sample counts and the per-batch losses.
        assertThat(sflv1.predictedBytes()).isEqualTo(sflv1.bytes() - 3 * 4 - 3 * 4 * batches);
    }

    @Test
    void refusesWhatDoesNotCompose() {
        assertThatThrownBy(() -> builder(Scheme.SL).optScaffold(true).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("fl, sflv1 and sflv2, not to sl");
        assertThatThrownBy(() -> builder(Scheme.FL).optScaffold(true).optOptimizer("adam").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("needs plain SGD");
        assertThatThrownBy(() -> builder(Scheme.FL).optScaffold(true).optMomentum(0.9f).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("momentum 0");
        assertThatThrownBy(() -> builder(Scheme.FL).optScaffold(true).optSecureAgg(true).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("secure-agg");
        assertThatThrownBy(() -> builder(Scheme.FL).optScaffold(true).optDpFedAvg(DpFedAvgConfig.parse("noise=1,clip=1")).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("dp-fedavg");
        assertThatThrownBy(() -> builder(Scheme.FL).optScaffold(true).optCompress(Codec.parse("int8")).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("lossy compress int8");
        assertThat(builder(Scheme.FL).optScaffold(true).optCompress(Codec.parse("none")).build().toSettings())
                .containsEntry("scaffold", true);
    }
}
