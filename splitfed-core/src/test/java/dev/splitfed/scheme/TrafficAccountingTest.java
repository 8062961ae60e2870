package dev.splitfed.scheme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.splitfed.compress.Codec;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.internal.role.FedServer;
import dev.splitfed.internal.role.MainServer;
import dev.splitfed.internal.role.StepResult;
import dev.splitfed.internal.secagg.SecAggServer;
import dev.splitfed.internal.transport.InProcessTransport;
import dev.splitfed.internal.transport.Tensor;
import dev.splitfed.internal.transport.TrafficMeter;
import dev.splitfed.internal.transport.Transport;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bytes counted per round against the message sizes worked out by hand: LeNet-5 cut 1 has
 * q = 6*14*14 = 1176 floats per sample at the cut, |W_C| = 156 and |W| = 61,706 parameters.
 */
class TrafficAccountingTest {

    private static final long Q = 1176;
    private static final long W_C = 156;
    private static final long W = 61_706;
    /** The output layer the client keeps with private labels: 84 x 10 + 10; its input has 84 floats. */
    private static final long W_H = 850;
    private static final long H = 84;
    private static DataSplit data;

    @BeforeAll
    static void loadSample() {
        data = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());
    }

    @ParameterizedTest
    @EnumSource(Scheme.class)
    void bytesPerRoundMatchTheMessageSizes(Scheme scheme) {
        // 300 samples over 3 iid clients: 100 each, batches of 32 -> 4 batches per client.
        SimulationConfig config = SimulationConfig.builder()
                .optScheme(scheme).optClients(3).optLimit(300).optBatchSize(32).optRounds(1).optThreads(1).build();
        List<RoundMetrics> rounds = new Simulation(config, data, "lenet5").run(new SimulationListener() {}).rounds();
        RoundMetrics r = rounds.get(0);
        long n = 100;
        long batches = 4;
        long up;
        long down;
        switch (scheme) {
            case CENTRAL -> {
                up = 0;
                down = 0;
            }
            case FL -> {
                up = 3 * (4 * W + 4);
                down = 3 * (4 * W);
            }
            default -> {
                // smashed data + int32 labels + W_C + sample count; cut gradients + float loss per batch + W_C
                up = 3 * (4 * n * Q + 4 * n + 4 * W_C + 4);
                down = 3 * (4 * n * Q + 4 * batches + 4 * W_C);
            }
        }
        assertThat(r.bytesUp()).isEqualTo(up);
        assertThat(r.bytesDown()).isEqualTo(down);
        // The cost model leaves out the sample counts and per-batch losses: under 1% of a round.
        if (scheme == Scheme.CENTRAL) {
            assertThat(r.predictedBytes()).isZero();
        } else {
            assertThat((double) r.bytes()).isCloseTo(r.predictedBytes(), withinPercentage(1));
            assertThat(r.bytes()).isGreaterThanOrEqualTo(r.predictedBytes());
        }
    }

    @Test
    void int8CountsTheEncodedBytesAndChangesTheModelOnlySlightly() {
        // 100 samples per client in batches of 32, 32, 32, 4; int8 adds 8 bytes per block of 2048 values.
        long full = 32 * Q + 8 * 19;   // 37,632 values: 19 blocks
        long last = 4 * Q + 8 * 3;     // 4,704 values: 3 blocks
        long cut = 3 * full + last;
        SimulationConfig.Builder builder = SimulationConfig.builder()
                .optScheme(Scheme.SFLV1).optClients(3).optLimit(300).optBatchSize(32).optRounds(2).optThreads(1);
        SimulationResult plain = new Simulation(builder.build(), data, "lenet5").run(new SimulationListener() {});
        SimulationResult int8 = new Simulation(builder.optCompress(Codec.parse("int8")).build(), data, "lenet5")
                .run(new SimulationListener() {});
        RoundMetrics r = int8.rounds().get(0);
        // W_C (156 values, one block) goes up encoded and comes down as float32.
        assertThat(r.bytesUp()).isEqualTo(3 * (cut + 4 * 100 + (W_C + 8) + 4));
        assertThat(r.bytesDown()).isEqualTo(3 * (cut + 4 * 4 + 4 * W_C));
        assertThat((double) r.bytes()).isCloseTo(r.predictedBytes(), withinPercentage(1));
        assertThat((double) plain.rounds().get(0).bytes() / r.bytes()).isGreaterThan(3.9);
        // Lossy, so not the same model, but close to it.
        float[] a = plain.globalWeights();
        float[] b = int8.globalWeights();
        assertThat(b).isNotEqualTo(a);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            norm += a[i] * a[i];
        }
        assertThat(Math.sqrt(diff / norm)).isLessThan(0.05);
    }

    @Test
    void onlySelectedClientsTrainAndEveryLocalEpochSendsItsSmashedData() {
        // 4 clients of 75 samples, half of them selected, 2 local epochs of 3 batches of 32.
        SimulationConfig config = SimulationConfig.builder()
                .optScheme(Scheme.SFLV1).optClients(4).optFraction(0.5).optLocalEpochs(2)
                .optLimit(300).optBatchSize(32).optRounds(2).optThreads(1).build();
        List<RoundMetrics> rounds = new Simulation(config, data, "lenet5").run(new SimulationListener() {}).rounds();
        long n = 75;
        for (RoundMetrics r : rounds) {
            assertThat(r.clients()).isEqualTo(2);
            assertThat(r.bytesUp()).isEqualTo(2 * (2 * (4 * n * Q + 4 * n) + 4 * W_C + 4));
            assertThat(r.bytesDown()).isEqualTo(2 * (2 * (4 * n * Q + 4 * 3) + 4 * W_C));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Scheme.class, names = {"SL", "SFLV1", "SFLV2"})
    void privateLabelsAddTheMiddlesTrafficAndTheHeadButNoLabels(Scheme scheme) {
        // 300 samples over 3 clients, 100 each, batches of 32: per batch smashed data and the
        // middle-output gradient up, the middle's output and the cut gradient down; no labels, no loss.
        SimulationConfig config = SimulationConfig.builder().optScheme(scheme).optClients(3).optLimit(300)
                .optBatchSize(32).optRounds(1).optThreads(1).optLabels(LabelSharing.PRIVATE).build();
        RoundMetrics r = new Simulation(config, data, "lenet5").run(new SimulationListener() {}).rounds().get(0);
        long n = 100;
        assertThat(r.bytesUp()).isEqualTo(3 * (4 * n * (Q + H) + 4 * (W_C + W_H) + 4));
        assertThat(r.bytesDown()).isEqualTo(3 * (4 * n * (Q + H) + 4 * (W_C + W_H)));
        assertThat((double) r.bytes()).isCloseTo(r.predictedBytes(), withinPercentage(1));
    }

    @Test
    void withPrivateLabelsTheMainServerNeverReceivesALabel() {
        AtomicInteger labelled = new AtomicInteger();
        AtomicInteger forwards = new AtomicInteger();
        AtomicInteger backwards = new AtomicInteger();
        InProcessTransport inner = new InProcessTransport();
        Transport spying = new Transport() {
            @Override
            public FedServer connect(FedServer server) {
                return inner.connect(server);
            }

            @Override
            public MainServer connect(MainServer server) {
                return inner.connect(new MainServer() {
                    @Override
                    public StepResult step(int clientId, int round, Tensor smashed, int[] labels) {
                        labelled.incrementAndGet();
                        return server.step(clientId, round, smashed, labels);
                    }

                    @Override
                    public Tensor forward(int clientId, int round, Tensor smashed) {
                        forwards.incrementAndGet();
                        return server.forward(clientId, round, smashed);
                    }

                    @Override
                    public Tensor backward(int clientId, int round, Tensor gradient) {
                        backwards.incrementAndGet();
                        return server.backward(clientId, round, gradient);
                    }
                });
            }

            @Override
            public SecAggServer connect(SecAggServer server) {
                return inner.connect(server);
            }

            @Override
            public TrafficMeter meter() {
                return inner.meter();
            }

            @Override
            public void close() {}
        };
        SimulationConfig.Builder builder = SimulationConfig.builder().optScheme(Scheme.SFLV1).optClients(3)
                .optLimit(300).optBatchSize(32).optRounds(1).optThreads(1);
        new Simulation(builder.optLabels(LabelSharing.PRIVATE).build(), data, "lenet5")
                .run(new SimulationListener() {}, null, spying);
        // 3 clients x 4 batches, each a forward and a backward, and not one labelled step.
        assertThat(labelled.get()).isZero();
        assertThat(forwards.get()).isEqualTo(12);
        assertThat(backwards.get()).isEqualTo(12);
        new Simulation(builder.optLabels(LabelSharing.SHARED).build(), data, "lenet5")
                .run(new SimulationListener() {}, null, spying);
        assertThat(labelled.get()).as("the same spy sees shared labels").isEqualTo(12);
    }
}
