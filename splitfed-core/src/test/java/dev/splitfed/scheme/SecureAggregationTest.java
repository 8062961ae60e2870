package dev.splitfed.scheme;

import dev.splitfed.internal.scheme.ClientPool;
import dev.splitfed.internal.scheme.Deployment;
import dev.splitfed.internal.scheme.LocalDeployment;
import dev.splitfed.internal.scheme.Roles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import dev.splitfed.compress.Codec;
import dev.splitfed.cost.CostModel;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.privacy.DpFedAvgConfig;
import dev.splitfed.privacy.DpSgdConfig;
import dev.splitfed.internal.role.ClientReport;
import dev.splitfed.internal.role.ProgressListener;
import dev.splitfed.internal.secagg.SecAggCost;
import dev.splitfed.internal.transport.InProcessTransport;
import dev.splitfed.internal.transport.TrafficMeter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code --secure-agg} end to end in one process: FedAvg's result, its bytes counted, dropouts. */
@Tag("long")
class SecureAggregationTest {

    private static DataSplit data;

    @BeforeAll
    static void loadSample() {
        data = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());
    }

    /** 650 samples over 4 clients (163, 163, 162, 162), so weighting by sample count matters. */
    private static SimulationConfig.Builder small(Scheme scheme) {
        return SimulationConfig.builder().optScheme(scheme).optClients(4).optLimit(650).optBatchSize(32).optRounds(2)
                .optThreads(1).optSeed(5);
    }

    private static SimulationResult run(SimulationConfig config, Deployment deployment) {
        return new Simulation(config, data, "lenet5").run(new SimulationListener() {}, null, deployment);
    }

    private static SimulationResult run(SimulationConfig config) {
        try (InProcessTransport transport = new InProcessTransport()) {
            return run(config, new LocalDeployment(transport));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Scheme.class, names = {"FL", "SFLV1", "SFLV2"})
    void secureAggregationMatchesFedAvgAndCountsItsBytes(Scheme scheme) {
        SimulationResult plain = run(small(scheme).build());
        SimulationResult secure = run(small(scheme).optSecureAgg(true).build());
        // Fixed point rounds each client's share of a weight by up to 2^-21 (4 clients: <= 2e-6 a
        // round); a round of training carries that into the next aggregate (measured: fl 2.8e-5,
        // sflv1 3.5e-6, sflv2 2.0e-6 after two rounds).
        assertThat(Weights.maxAbsDifference(plain.globalWeights(), secure.globalWeights())).isLessThanOrEqualTo(1e-4);
        CostModel.Traffic overhead = SecAggCost.overhead(4);
        for (int r = 0; r < 2; r++) {
            RoundMetrics a = plain.rounds().get(r);
            RoundMetrics b = secure.rounds().get(r);
            assertThat(b.testAccuracy()).isCloseTo(a.testAccuracy(), org.assertj.core.data.Offset.offset(0.005));
            // the masked input replaces the weights at 4 bytes a value; the sample counts move to AdvertiseKeys
            assertThat(b.bytesUp() - a.bytesUp()).isEqualTo(overhead.up() - 4 * 4);
            assertThat(b.bytesDown() - a.bytesDown()).isEqualTo(overhead.down());
            assertThat(b.predictedBytes() - a.predictedBytes()).isEqualTo(overhead.total());
        }
        // 4 clients: per client up 68 + 3 * 106 + 4 * 37 = 534, down 12 + 4 * 68 + 3 * 106 + 16 = 618
        assertThat(overhead.up()).isEqualTo(4 * 534);
        assertThat(overhead.down()).isEqualTo(4 * 618);
    }

    @Test
    void dpSgdOnTheClientsCombinesWithSecureAggregation() {
        // DP-SGD clips and noises inside each client's training; secure aggregation then hides its result.
        SimulationConfig.Builder dp = small(Scheme.FL).optDpSgd(DpSgdConfig.parse("noise=1.1,clip=1"));
        float[] plain = run(dp.build()).globalWeights();
        float[] secure = run(dp.optSecureAgg(true).build()).globalWeights();
        assertThat(Weights.maxAbsDifference(plain, secure)).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void theUShapedSplitAggregatesItsBottomAndHeadSecurely() {
        // With private labels a client's W_C is its bottom and its head: both go up masked.
        SimulationConfig.Builder u = small(Scheme.SFLV1).optLabels(LabelSharing.PRIVATE);
        float[] plain = run(u.build()).globalWeights();
        float[] secure = run(u.optSecureAgg(true).build()).globalWeights();
        assertThat(Weights.maxAbsDifference(plain, secure)).isLessThanOrEqualTo(1e-4);
    }

    /** The deployment's clients, with some of them dropping out of training from a given round on. */
    private static Deployment dropping(Deployment inner, Set<Integer> drop, int fromRound) {
        return new Deployment() {
            @Override
            public ClientPool connect(Roles roles, SimulationPlan plan, ProgressListener progress) {
                ClientPool pool = inner.connect(roles, plan, progress);
                return new ClientPool() {
                    @Override
                    public List<ClientReport> train(int round, List<Integer> order, Map<Integer, Long> batches) {
                        return pool.train(round, round < fromRound ? order
                                : order.stream().filter(k -> !drop.contains(k)).toList(), batches);
                    }

                    @Override
                    public List<Integer> beforeTraining(int round, List<Integer> participants) {
                        return pool.beforeTraining(round, participants);
                    }

                    @Override
                    public void afterTraining(int round, List<Integer> completed) {
                        pool.afterTraining(round, completed);
                    }

                    @Override
                    public void close() {
                        pool.close();
                    }
                };
            }

            @Override
            public TrafficMeter meter() {
                return inner.meter();
            }
        };
    }

    @Test
    void survivesTheToleratedDropoutsAndMatchesFedAvgOverTheSurvivors() {
        // 5 clients: T = 2 by default, threshold 3.
        SimulationConfig.Builder five = small(Scheme.FL).optClients(5);
        assertThat(five.optSecureAgg(true).build().secureAggDropouts()).isEqualTo(2);
        float[] plain;
        float[] secure;
        try (InProcessTransport t = new InProcessTransport()) {
            plain = run(small(Scheme.FL).optClients(5).build(), dropping(new LocalDeployment(t), Set.of(1, 3), 2)).globalWeights();
        }
        try (InProcessTransport t = new InProcessTransport()) {
            secure = run(small(Scheme.FL).optClients(5).optSecureAgg(true).build(),
                    dropping(new LocalDeployment(t), Set.of(1, 3), 2)).globalWeights();
        }
        // the survivors' sum is rescaled by 5/3 (measured: 8.6e-5 after two rounds)
        assertThat(Weights.maxAbsDifference(plain, secure)).isLessThanOrEqualTo(2e-4);
    }

    @Test
    void oneDropoutTooManyFailsTheRunLoudlyAfterTheLastCompletedRound() {
        List<Integer> checkpoints = new ArrayList<>();
        SimulationConfig config = small(Scheme.SFLV1).optClients(5).optSecureAgg(true).optSecureAggDropouts(1).build();
        try (InProcessTransport t = new InProcessTransport()) {
            assertThatThrownBy(() -> new Simulation(config, data, "lenet5").run(new SimulationListener() {
                @Override
                public void roundFinished(RoundMetrics metrics, Checkpoint checkpoint) {
                    checkpoints.add(checkpoint.round());
                }
            }, null, dropping(new LocalDeployment(t), Set.of(0, 4), 2)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("secure aggregation cannot close round 2: 2 of its 5 clients dropped out, more than the 1 it "
                            + "tolerates (secure-agg-dropouts); the global model stays as it was");
        }
        assertThat(checkpoints).containsExactly(1);
    }

    @Test
    void configRefusesWhatSecureAggregationCannotDo() {
        assertThatThrownBy(() -> small(Scheme.SL).optSecureAgg(true).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("secure-agg applies to fl, sflv1 and sflv2, whose fed server averages client models, not to sl, "
                        + "which relays W_C from client to client");
        assertThatThrownBy(() -> small(Scheme.CENTRAL).optSecureAgg(true).build())
                .hasMessageContaining("not to central, which has no clients");
        assertThatThrownBy(() -> small(Scheme.FL).optSecureAgg(true).optCompress(Codec.parse("int8")).build())
                .hasMessageContaining("cannot go with the lossy compress int8");
        assertThat(small(Scheme.FL).optSecureAgg(true).optCompress(Codec.parse("none")).build().secureAgg()).isTrue();
        assertThatThrownBy(() -> small(Scheme.FL).optSecureAgg(true)
                .optDpFedAvg(DpFedAvgConfig.parse("noise=1,clip=0.5")).build())
                .hasMessage("secure-agg cannot go with dp-fedavg, which clips each client's update at the fed server, "
                        + "where secure aggregation never lets one be seen");
        assertThatThrownBy(() -> small(Scheme.FL).optSecureAgg(true).optSecureAggDropouts(2).build())
                .hasMessage("secure-agg-dropouts must be in 0 to 1 for 4 clients a round (the threshold m - T must stay a "
                        + "majority), got 2");
        assertThatThrownBy(() -> small(Scheme.FL).optSecureAggDropouts(1).build())
                .hasMessage("secure-agg-dropouts goes with secure-agg");
        assertThatThrownBy(() -> small(Scheme.FL).optClients(1).optSecureAgg(true).build())
                .hasMessage("secure-agg needs at least 2 clients a round, got 1");
        SimulationConfig tenth = small(Scheme.FL).optClients(50).optFraction(0.1).optSecureAgg(true).build();
        assertThat(tenth.participantsPerRound()).isEqualTo(5);
        assertThat(tenth.secureAggDropouts()).isEqualTo(2);
        assertThat(tenth.secureAggThreshold()).isEqualTo(3);
        assertThat(tenth.toSettings()).containsEntry("secure-agg", true).containsEntry("secure-agg-dropouts", 2);
        assertThat(small(Scheme.FL).build().toSettings()).doesNotContainKey("secure-agg");
    }
}
