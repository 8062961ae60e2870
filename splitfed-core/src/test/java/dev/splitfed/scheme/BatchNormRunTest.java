package dev.splitfed.scheme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.InvalidInputException;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.hetero.FedBuffConfig;
import dev.splitfed.internal.role.FedServer;
import dev.splitfed.internal.role.LocalEntries;
import dev.splitfed.internal.role.MainServer;
import dev.splitfed.internal.role.ProgressListener;
import dev.splitfed.internal.scheme.ClientPool;
import dev.splitfed.internal.scheme.Deployment;
import dev.splitfed.internal.scheme.LocalDeployment;
import dev.splitfed.internal.scheme.Roles;
import dev.splitfed.internal.secagg.SecAggServer;
import dev.splitfed.internal.transport.InProcessTransport;
import dev.splitfed.internal.transport.TrafficMeter;
import dev.splitfed.internal.transport.Transport;
import dev.splitfed.model.Architecture;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ResNet-18's batch normalisation in runs: its running statistics travel and are averaged with the
 * weights (as averaging PyTorch's state_dict does), and with {@code --local-bn} (FedBN) each client
 * keeps its own. Tiny runs: 128 samples of the bundled Fashion-MNIST sample, 2 clients of 64.
 */
class BatchNormRunTest {

    private static DataSplit data;

    @BeforeAll
    static void loadSample() {
        data = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());
    }

    private static SimulationConfig.Builder tiny(Scheme scheme) {
        return SimulationConfig.builder().optScheme(scheme).optModel("resnet18").optCut(2).optClients(2).optLimit(128)
                .optBatchSize(32).optRounds(1).optThreads(1).optSeed(3);
    }

    /** An in-process transport that keeps every client's last submission to the fed server. */
    private static final class Spy implements Transport {
        final InProcessTransport inner = new InProcessTransport();
        final Map<Integer, float[]> submitted = new HashMap<>();
        final Map<Integer, Integer> samples = new HashMap<>();

        @Override
        public FedServer connect(FedServer server) {
            FedServer view = inner.connect(server);
            return new FedServer() {
                @Override
                public float[] download(int clientId, int round) {
                    return view.download(clientId, round);
                }

                @Override
                public void submit(int clientId, int round, float[] weights, int n) {
                    synchronized (Spy.this) {
                        submitted.put(clientId, weights.clone());
                        samples.put(clientId, n);
                    }
                    view.submit(clientId, round, weights, n);
                }
            };
        }

        @Override
        public MainServer connect(MainServer server) {
            return inner.connect(server);
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
    }

    /** A deployment in this process that lets the test reach the clients. */
    private static final class Open implements Deployment {
        final LocalDeployment inner;
        ClientPool pool;

        Open(Transport transport) {
            inner = new LocalDeployment(transport);
        }

        @Override
        public ClientPool connect(Roles roles, SimulationPlan plan, ProgressListener progress) {
            pool = inner.connect(roles, plan, progress);
            return pool;
        }

        @Override
        public TrafficMeter meter() {
            return inner.meter();
        }
    }

    @Test
    void runningStatisticsAreAveragedWithTheWeightsInFl() {
        Spy spy = new Spy();
        Simulation sim = new Simulation(tiny(Scheme.FL).build(), data, null);
        float[] global = sim.run(new SimulationListener() {}, null, spy).globalWeights();
        boolean[] bn = LocalEntries.normalisation(sim.architecture(), null);
        float[] a = spy.submitted.get(0);
        float[] b = spy.submitted.get(1);
        double na = spy.samples.get(0);
        double nb = spy.samples.get(1);
        assertThat(na + nb).isEqualTo(128);
        int checked = 0;
        int moved = 0;
        for (int i = 0; i < global.length; i++) {
            if (bn[i]) {
                assertThat((double) global[i]).as("position %d", i)
                        .isCloseTo((na * a[i] + nb * b[i]) / (na + nb), within(1e-5));
                checked++;
                moved += a[i] != b[i] ? 1 : 0;
            }
        }
        assertThat(checked).isEqualTo(4 * 4800);
        assertThat(moved).as("the clients' statistics differ, so the average means something").isGreaterThan(checked / 4);
    }

    @Test
    void sflv1StillEqualsFlWithBatchNormalisation() {
        float[] fl = new Simulation(tiny(Scheme.FL).build(), data, null).run(new SimulationListener() {}).globalWeights();
        float[] sflv1 = new Simulation(tiny(Scheme.SFLV1).build(), data, null).run(new SimulationListener() {})
                .globalWeights();
        assertThat(Weights.maxAbsDifference(fl, sflv1)).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void withLocalBnEachClientKeepsItsOwnBatchNormalisationWhileTheServerAveragesIt() {
        Spy spy = new Spy();
        Open open = new Open(spy);
        SimulationConfig config = tiny(Scheme.SFLV1).optRounds(2).optLocalBn(true).optPersonalHoldout(0.25).build();
        Simulation sim = new Simulation(config, data, null);
        SimulationResult result = sim.run(new SimulationListener() {}, null, open);
        float[] global = result.globalWeights();
        Architecture net = sim.architecture();
        boolean[] bn = LocalEntries.normalisation(net, dev.splitfed.internal.model.SplitLayout.of(net, 2,
                config.labels()));
        float[] globalClient = java.util.Arrays.copyOf(global, bn.length);
        for (int k = 0; k < 2; k++) {
            float[] own = open.pool.localBn(k, globalClient);
            float[] sent = spy.submitted.get(k);
            int differs = 0;
            for (int i = 0; i < bn.length; i++) {
                if (bn[i]) {
                    // The client's own values are those it trained last, not the average.
                    assertThat(own[i]).isEqualTo(sent[i]);
                    differs += own[i] != globalClient[i] ? 1 : 0;
                } else {
                    assertThat(own[i]).isEqualTo(globalClient[i]);
                }
            }
            assertThat(differs).isGreaterThan(0);
        }
        assertThat(result.rounds().get(1).personalAccuracy()).isNotNull();
    }

    @Test
    void localBnIsRefusedWhereItMeansNothing() {
        assertThatThrownBy(() -> tiny(Scheme.CENTRAL).optLocalBn(true).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("local-bn")
                .hasMessageContaining("not central");
        assertThatThrownBy(() -> tiny(Scheme.SL).optLocalBn(true).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("averages nothing");
        assertThatThrownBy(() -> tiny(Scheme.FL).optModel("lenet5").optLocalBn(true).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("model lenet5 has none");
        assertThatThrownBy(() -> tiny(Scheme.FL).optLocalBn(true).optFedBuff(FedBuffConfig.parse("buffer=2")).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("local-bn");
        // The data set's own model, lenet5 for images, has none either.
        assertThatThrownBy(() -> SimulationConfig.builder().optScheme(Scheme.FL).optLocalBn(true).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("model lenet5 has none");
    }
}
