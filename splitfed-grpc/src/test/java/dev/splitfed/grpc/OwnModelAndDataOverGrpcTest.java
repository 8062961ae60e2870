package dev.splitfed.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.Simulation;
import dev.splitfed.scheme.SimulationConfig;
import dev.splitfed.scheme.SimulationListener;
import dev.splitfed.scheme.SimulationResult;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Users' own models and data in a deployment: hospitals that each read only their own rows of a
 * table with the schema the server sends, and clients that receive only their stages of a
 * TorchScript model — and train exactly the model the in-process run trains.
 */
@Tag("deployment")
class OwnModelAndDataOverGrpcTest {

    private static final Path LENET5 = Path.of("../splitfed-core/src/test/resources/torchscript/lenet5");

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    /** Serves a run to {@code clients} embedded clients and returns the server's result. */
    private static SimulationResult deploy(SimulationConfig config, DataSplit data,
            IntFunction<ClientRunner.Builder> client) throws Exception {
        Pki pki = Pki.create();
        int port = freePort();
        ServerRunner server = ServerRunner.builder().setConfig(config).setData(data).setPort(port)
                .setTls(new TlsMaterial(pki.caPem(), pki.server(List.of("localhost"))))
                .optRoundTimeout(Duration.ofMinutes(2)).build();
        ExecutorService threads = Executors.newFixedThreadPool(config.clients() + 1);
        try {
            Future<SimulationResult> served = threads.submit(() -> server.run(new SimulationListener() {}, null));
            List<Future<Integer>> clients = new ArrayList<>();
            for (int id = 0; id < config.clients(); id++) {
                ClientRunner runner = client.apply(id).setServer("localhost", port).setClientId(id)
                        .setTls(new TlsMaterial(pki.caPem(), pki.client(id))).optThreads(1)
                        .optGiveUpAfter(Duration.ofMinutes(1)).build();
                clients.add(threads.submit(runner::run));
            }
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            while (!served.isDone() && System.nanoTime() < end) {
                for (Future<Integer> c : clients) {
                    if (c.isDone()) {
                        c.get(); // a client that failed fails the test at once, with its reason
                    }
                }
                Thread.sleep(200);
            }
            SimulationResult deployed = served.get(1, TimeUnit.SECONDS);
            for (Future<Integer> rounds : clients) {
                assertThat(rounds.get(1, TimeUnit.MINUTES)).isEqualTo(config.rounds());
            }
            return deployed;
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * Runs the in-process twin on a thread of its own: a run sets PyTorch's threads for the thread
     * it runs on, which must not leak into the tests that follow on this one.
     */
    private static SimulationResult local(SimulationConfig config, DataSplit data) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            return thread.submit(() -> new Simulation(config, data).run(new SimulationListener() {})).get();
        } finally {
            thread.shutdownNow();
        }
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    /** Writes a table of three hospitals' patients: four measurements, a sex, an outcome. */
    private static String table(Random rng, int rows) {
        StringBuilder csv = new StringBuilder("age,bmi,pressure,glucose,sex,site,outcome\n");
        String[] sites = {"north", "south", "east"};
        for (int i = 0; i < rows; i++) {
            int site = i % 3;
            double age = 40 + 10 * rng.nextGaussian() + 5 * site;
            double glucose = 100 + 20 * rng.nextGaussian();
            boolean ill = age / 60 + glucose / 150 + 0.3 * rng.nextGaussian() > 1.4;
            csv.append(String.format(java.util.Locale.ROOT, "%.1f,%.1f,%.0f,%.1f,%s,%s,%s%n", age,
                    25 + 4 * rng.nextGaussian(), 120 + 15 * rng.nextGaussian(), glucose, rng.nextBoolean() ? "F" : "M",
                    sites[site], ill ? "yes" : "no"));
        }
        return csv.toString();
    }

    @Test
    void hospitalsReadingOnlyTheirOwnRowsTrainTheInProcessModel(@TempDir Path dir) throws Exception {
        Random rng = new Random(16);
        Path train = dir.resolve("patients.csv");
        Files.writeString(train, table(rng, 240));
        Path test = dir.resolve("test.csv");
        Files.writeString(test, table(rng, 90));
        // Each site's own file: the header and its rows, in the order the shared table has them.
        List<String> lines = Files.readAllLines(train);
        List<String> sites = List.of("east", "north", "south");
        for (String site : sites) {
            StringBuilder own = new StringBuilder(lines.get(0)).append('\n');
            lines.stream().skip(1).filter(l -> l.contains("," + site + ",")).forEach(l -> own.append(l).append('\n'));
            Files.writeString(dir.resolve(site + ".csv"), own);
        }
        SimulationConfig config = SimulationConfig.builder().optDataset("csv:" + train).optOwner("site")
                .optTestFile(test).optPartition("natural").optClients(3)
                .optRounds(2).optBatchSize(16).optThreads(1).optScheme(Scheme.SFLV1).build();
        DataSplit data = DatasetCatalog.load(config.dataset(), config.dataOptions(), null, Map.of());
        // Owners are sorted, so client 0 is east, 1 north, 2 south.
        SimulationResult deployed = deploy(config, data,
                id -> ClientRunner.builder().optDataDir(dir.resolve(sites.get(id) + ".csv"))
                        .optSchemaDigest(data.schema().digest()));
        SimulationResult local = local(config, data);
        assertThat(maxAbsDifference(deployed.globalWeights(), local.globalWeights())).isLessThanOrEqualTo(1e-4);
        assertThat(deployed.rounds().get(1).testAccuracy()).isEqualTo(local.rounds().get(1).testAccuracy());

        // A hospital whose export lacks a column is refused with a sentence that says so.
        Files.writeString(dir.resolve("broken.csv"), "age,bmi,pressure,sex,site,outcome\n50,25,120,F,east,no\n");
        assertThatThrownBy(() -> deploy(config.toBuilder().optRounds(1).build(), data,
                id -> ClientRunner.builder().optDataDir(dir.resolve(id == 0 ? "broken.csv" : sites.get(id) + ".csv"))))
                .hasRootCauseInstanceOf(InvalidInputException.class)
                .rootCause().hasMessageContaining("lacks 'glucose'");
    }

    @ParameterizedTest
    @EnumSource(LabelSharing.class)
    void clientsReceiveOnlyTheirStagesOfATorchScriptModelAndTrainTheInProcessModel(LabelSharing labels)
            throws Exception {
        SimulationConfig config = SimulationConfig.builder().optDataset("fashion-mnist-sample")
                .optModel("torchscript:" + LENET5.toAbsolutePath()).optClients(2).optLimit(300).optRounds(2)
                .optThreads(1).optLabels(labels).optCut(2).build();
        DataSplit data = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());
        ServerRunner probe = ServerRunner.builder().setConfig(config).setData(data).setPort(1).setInsecure().build();
        Map<String, String> announced = probe.clientSettings();
        String expected = labels == LabelSharing.PRIVATE ? "0=.*,1=.*,4=[0-9a-f]{64}" : "0=.*,1=[0-9a-f]{64}";
        assertThat(announced.get("model-stages")).matches(expected);
        SimulationResult deployed = deploy(config, data, id -> ClientRunner.builder());
        SimulationResult local = local(config, data);
        assertThat(maxAbsDifference(deployed.globalWeights(), local.globalWeights())).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void aClientsOwnCopyOfTheStagesMustBeTheServers(@TempDir Path dir) throws Exception {
        SimulationConfig config = SimulationConfig.builder().optDataset("fashion-mnist-sample")
                .optModel("torchscript:" + LENET5.toAbsolutePath()).optClients(1).optLimit(100).optRounds(1)
                .optThreads(1).build();
        DataSplit data = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());
        // Another export of the same network: the same shapes, other weights.
        Files.copy(LENET5.resolve("stage1.pt"), dir.resolve("stage0.pt"));
        assertThatThrownBy(() -> deploy(config, data, id -> ClientRunner.builder().optModelDir(dir)))
                .rootCause().isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not the server's stage0.pt (SHA-256 ");
        Files.copy(LENET5.resolve("stage0.pt"), dir.resolve("stage0.pt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(deploy(config, data, id -> ClientRunner.builder().optModelDir(dir)).rounds()).hasSize(1);
    }
}
