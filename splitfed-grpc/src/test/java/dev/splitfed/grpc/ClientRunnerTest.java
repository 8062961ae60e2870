package dev.splitfed.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.scheme.Simulation;
import dev.splitfed.scheme.SimulationConfig;
import dev.splitfed.scheme.SimulationListener;
import dev.splitfed.scheme.SimulationResult;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A JVM application embeds a deployed server and its clients with the runners alone, no command
 * line: two {@link ClientRunner}s join a {@link ServerRunner} over mutual TLS, receive the run's
 * settings, load their parts of the data set and train the model the in-process run trains.
 */
class ClientRunnerTest {

    private static final DataSplit DATA = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    @ParameterizedTest
    @EnumSource(LabelSharing.class)
    @Tag("deployment")
    void twoEmbeddedClientsTrainTheInProcessModel(LabelSharing labels) throws Exception {
        SimulationConfig config = SimulationConfig.builder().optDataset("fashion-mnist-sample").optClients(2)
                .optLimit(400).optRounds(2).optThreads(1).optLabels(labels).build();
        Pki pki = Pki.create();
        int port = freePort();
        ServerRunner server = ServerRunner.builder().setConfig(config).setData(DATA).setPort(port)
                .setTls(new TlsMaterial(pki.caPem(), pki.server(List.of("localhost"))))
                .optRoundTimeout(Duration.ofMinutes(2)).build();
        assertThat(server.clientSettings()).containsEntry("clients", "2").containsEntry("labels", labels.id())
                .doesNotContainKeys("threads", "data-dir");
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            Future<SimulationResult> served = threads.submit(() -> server.run(new SimulationListener() {}, null));
            List<Future<Integer>> clients = new ArrayList<>();
            for (int id = 0; id < 2; id++) {
                ClientRunner client = ClientRunner.builder().setServer("localhost", port).setClientId(id)
                        .setTls(new TlsMaterial(pki.caPem(), pki.client(id))).optThreads(1)
                        .optGiveUpAfter(Duration.ofMinutes(1)).build();
                clients.add(threads.submit(client::run));
            }
            SimulationResult deployed = served.get(4, TimeUnit.MINUTES);
            for (Future<Integer> rounds : clients) {
                assertThat(rounds.get(1, TimeUnit.MINUTES)).as("rounds each client trained").isEqualTo(2);
            }
            SimulationResult local = new Simulation(config, DATA).run(new SimulationListener() {});
            assertThat(maxAbsDifference(deployed.globalWeights(), local.globalWeights())).isLessThanOrEqualTo(1e-4);
            assertThat(deployed.rounds().get(1).clients()).isEqualTo(2);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void optionsThatContradictAreRefusedBeforeJoining() {
        assertThatThrownBy(() -> ClientRunner.builder().setServer("localhost", 7443).setClientId(0).setInsecure()
                .optDataDir(Path.of("own")).optPartition("iid").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("do not apply");
        assertThatThrownBy(() -> ClientRunner.builder().setServer("localhost", 7443).setClientId(0).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("setTls");
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }
}
