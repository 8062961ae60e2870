package dev.splitfed.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitfed.scheme.Checkpoint;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server and its clients as separate JVMs on loopback with mutual TLS, as a deployment runs
 * them: the result equals the in-process run, a client killed mid-run is dropped from that round
 * and rejoins, and a server killed with SIGKILL resumes from its checkpoint without losing or
 * repeating a round.
 */
@Tag("deployment")
class DeploymentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final Jvms jvms = new Jvms();
    private Path certs;
    private int port;

    @BeforeEach
    void makeCertificates() throws IOException {
        certs = tmp.resolve("certs");
        assertThat(SimulateCommandTest.run("certs", "--out", certs.toString(), "--clients", "3").status()).isZero();
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
    }

    @AfterEach
    void killLeftovers() {
        jvms.close();
    }

    private Process jvm(String log, List<String> args) throws IOException {
        return jvms.start(tmp.resolve(log), args);
    }

    private Process server(Path out, String rounds, String timeout, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("server", "--port", Integer.toString(port), "--certs", certs.toString(),
                "--clients", "3", "--rounds", rounds, "--round-timeout", timeout, "--dataset", "fashion-mnist-sample",
                "--threads", "1", "--quiet", "--out", out.toString()));
        args.addAll(List.of(more));
        return jvm("server-" + out.getFileName() + ".log", args);
    }

    private Process client(int id, String log) throws IOException {
        return jvm(log, List.of("client", "--server", "localhost:" + port, "--certs", certs.toString(),
                "--client-id", Integer.toString(id), "--threads", "1", "--give-up-after", "3m"));
    }

    private static int lines(Path file) throws IOException {
        return Files.exists(file) ? (int) Files.readAllLines(file).stream().filter(l -> l.endsWith("}")).count() : 0;
    }

    /** A condition on files another process writes: one that cannot be read yet does not hold. */
    private interface FileCondition {
        boolean holds() throws IOException;
    }

    private static void await(FileCondition condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!holds(condition)) {
            assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(end);
            Thread.sleep(20);
        }
    }

    private static boolean holds(FileCondition condition) {
        try {
            return condition.holds();
        } catch (IOException e) {
            return false;
        }
    }

    private String log(String name) throws IOException {
        return Files.readString(tmp.resolve(name));
    }

    private float[] inProcess(String rounds, String limit, String... more) {
        Path local = tmp.resolve("local-" + rounds);
        List<String> args = new ArrayList<>(List.of("simulate", "--dataset", "fashion-mnist-sample",
                "--clients", "3", "--rounds", rounds, "--limit", limit, "--threads", "1", "--quiet", "--out", local.toString()));
        args.addAll(List.of(more));
        SimulateCommandTest.Outcome o = SimulateCommandTest.run(args.toArray(String[]::new));
        assertThat(o.status()).as(o.err()).isZero();
        return Checkpoint.read(local).globalWeights();
    }

    @Test
    void threeClientProcessesOverTlsTrainTheInProcessModel() throws Exception {
        Path run = tmp.resolve("run");
        Process server = server(run, "2", "2m", "--limit", "600");
        for (int id = 0; id < 3; id++) {
            client(id, "client" + id + ".log");
        }
        Jvms.awaitSuccess(server, tmp.resolve("server-run.log"), 4);
        for (int id = 0; id < 3; id++) {
            Jvms.awaitSuccess(jvms.all().get(id + 1), tmp.resolve("client" + id + ".log"), 1);
        }
        assertThat(log("client0.log")).contains("the run is over; client 0 trained 2 round(s)");
        assertThat(Jvms.maxAbsDifference(Checkpoint.read(run).globalWeights(), inProcess("2", "600"))).isLessThanOrEqualTo(1e-4);
        assertThat(JSON.readTree(run.resolve("summary.json").toFile()).get("provenance").get("transport").asText())
                .isEqualTo("grpc, mutual TLS");
    }

    /**
     * A client process learns from the run's settings that it is the malicious one and poisons its
     * updates and smashed data as the simulated client does; the main server's median combines them alike.
     */
    @Test
    void aMaliciousClientProcessPoisonsLikeTheSimulatedOne() throws Exception {
        Path run = tmp.resolve("run");
        String[] attack = {"--malicious", "1", "--attack", "sign-flip:3", "--aggregator", "median"};
        List<String> args = new ArrayList<>(List.of("--limit", "600"));
        args.addAll(List.of(attack));
        Process server = server(run, "2", "2m", args.toArray(String[]::new));
        for (int id = 0; id < 3; id++) {
            client(id, "client" + id + ".log");
        }
        assertThat(server.waitFor(4, TimeUnit.MINUTES)).isTrue();
        assertThat(server.exitValue()).as(log("server-run.log")).isZero();
        for (Process client : jvms.all().subList(1, jvms.all().size())) {
            assertThat(client.waitFor(1, TimeUnit.MINUTES)).isTrue();
        }
        int bad = JSON.readTree(run.resolve("summary.json").toFile()).get("malicious").get(0).asInt();
        for (int id = 0; id < 3; id++) {
            assertThat(log("client" + id + ".log").contains("malicious (sign-flip:3)")).as("client " + id).isEqualTo(id == bad);
        }
        assertThat(Jvms.maxAbsDifference(Checkpoint.read(run).globalWeights(), inProcess("2", "600", attack)))
                .isLessThanOrEqualTo(1e-4);
    }

    /**
     * Clients learn the run's DP settings when they join, and every epsilon is what the simulation
     * reports; but the noise comes from no seed, so the model is not the seeded simulation's.
     */
    @Test
    void aPrivateDeploymentSpendsTheSimulationsEpsilonWithUnpredictableNoise() throws Exception {
        Path run = tmp.resolve("private");
        String[] dp = {"--dp-sgd", "noise=0.8,clip=1", "--dp-fedavg", "noise=0.5,clip=0.5"};
        List<String> serverArgs = new ArrayList<>(List.of("--limit", "600"));
        serverArgs.addAll(List.of(dp));
        Process server = server(run, "2", "2m", serverArgs.toArray(String[]::new));
        for (int id = 0; id < 3; id++) {
            client(id, "private-client" + id + ".log");
        }
        assertThat(server.waitFor(4, TimeUnit.MINUTES)).isTrue();
        assertThat(server.exitValue()).as(log("server-private.log")).isZero();
        Path local = tmp.resolve("private-local");
        List<String> simulate = new ArrayList<>(List.of("simulate", "--dataset", "fashion-mnist-sample", "--clients", "3",
                "--rounds", "2", "--limit", "600", "--threads", "1", "--quiet", "--out", local.toString()));
        simulate.addAll(List.of(dp));
        assertThat(SimulateCommandTest.run(simulate.toArray(String[]::new)).status()).isZero();
        List<String> deployed = Files.readAllLines(run.resolve("metrics.jsonl"));
        List<String> simulated = Files.readAllLines(local.resolve("metrics.jsonl"));
        for (int r = 0; r < 2; r++) {
            for (String key : List.of("epsilon", "user_epsilon")) {
                assertThat(JSON.readTree(deployed.get(r)).get(key).asDouble()).as(key)
                        .isPositive().isEqualTo(JSON.readTree(simulated.get(r)).get(key).asDouble());
            }
        }
        assertThat(Jvms.maxAbsDifference(Checkpoint.read(run).globalWeights(), Checkpoint.read(local).globalWeights()))
                .as("noise a client could regenerate from the run seed would protect nothing").isGreaterThan(1e-3);
    }

    @Test
    void fedServerAndMainServerInSeparateProcessesTrainTheInProcessModel() throws Exception {
        int mainPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            mainPort = probe.getLocalPort();
        }
        List<String> common = List.of("--certs", certs.toString(), "--clients", "3", "--rounds", "2",
                "--dataset", "fashion-mnist-sample", "--limit", "600", "--threads", "1");
        List<String> mainArgs = new ArrayList<>(List.of("server", "--role", "main", "--port", Integer.toString(mainPort)));
        mainArgs.addAll(common);
        Process main = jvm("main.log", mainArgs);
        await(() -> log("main.log").contains("listening on port"), "the main server to listen");
        Path run = tmp.resolve("split");
        List<String> fedArgs = new ArrayList<>(List.of("server", "--role", "fed", "--port", Integer.toString(port),
                "--main-server", "localhost:" + mainPort, "--quiet", "--out", run.toString()));
        fedArgs.addAll(common);
        Process fed = jvm("fed.log", fedArgs);
        for (int id = 0; id < 3; id++) {
            client(id, "client" + id + ".log");
        }
        assertThat(fed.waitFor(4, TimeUnit.MINUTES)).isTrue();
        assertThat(fed.exitValue()).as(log("fed.log") + log("main.log")).isZero();
        main.destroy();
        assertThat(Jvms.maxAbsDifference(Checkpoint.read(run).globalWeights(), inProcess("2", "600"))).isLessThanOrEqualTo(1e-4);
        // The main server counts the smashed data and gradients it serves and hands the counts to the fed server.
        JsonNode round = JSON.readTree(Files.readAllLines(run.resolve("metrics.jsonl")).get(0));
        assertThat((double) round.get("bytes_up").asLong() + round.get("bytes_down").asLong())
                .isCloseTo(round.get("predicted_bytes").asDouble(), withinPercentage(1));
    }

    @Test
    void aClientKilledMidRunIsDroppedFromThatRoundAndRejoins() throws Exception {
        Path run = tmp.resolve("drops");
        Process server = server(run, "3", "15s", "--limit", "3000");
        Process doomed = client(2, "client2.log");
        client(0, "client0.log");
        client(1, "client1.log");
        // Kill client 2 once it is training round 2: it is gone in the middle of that round.
        await(() -> log("client2.log").contains("training round 2"), "client 2 to start round 2");
        doomed.destroyForcibly().waitFor();
        await(() -> lines(run.resolve("metrics.jsonl")) >= 2, "round 2 to end without client 2");
        client(2, "client2-again.log");
        assertThat(server.waitFor(4, TimeUnit.MINUTES)).isTrue();
        assertThat(server.exitValue()).as(log("server-drops.log")).isZero();
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertThat(JSON.readTree(metrics.get(0)).get("clients").asInt()).isEqualTo(3);
        assertThat(JSON.readTree(metrics.get(1)).get("clients").asInt()).isEqualTo(2);
        assertThat(JSON.readTree(metrics.get(2)).get("clients").asInt()).as(log("client2-again.log")).isEqualTo(3);
        assertThat(log("client2-again.log")).contains("finished round 3");
    }

    @Test
    void aServerKilledMidRoundResumesWithoutLosingOrRepeatingARound() throws Exception {
        Path run = tmp.resolve("crash");
        Process server = server(run, "4", "2m", "--limit", "1500");
        for (int id = 0; id < 3; id++) {
            client(id, "client" + id + ".log");
        }
        await(() -> lines(run.resolve("metrics.jsonl")) >= 2, "round 2 to complete");
        server.destroyForcibly().waitFor();
        Process resumed = jvm("server-resumed.log", List.of("server", "--port", Integer.toString(port),
                "--certs", certs.toString(), "--threads", "1", "--quiet", "--resume", run.toString()));
        boolean finished = resumed.waitFor(3, TimeUnit.MINUTES);
        assertThat(finished).as(log("server-resumed.log") + log("client0.log") + log("client1.log") + log("client2.log"))
                .isTrue();
        assertThat(resumed.exitValue()).as(log("server-resumed.log")).isZero();
        List<Integer> rounds = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode row = JSON.readTree(line);
            rounds.add(row.get("round").asInt());
            assertThat(row.get("clients").asInt()).isEqualTo(3);
        }
        assertThat(rounds).containsExactly(1, 2, 3, 4);
        assertThat(Jvms.maxAbsDifference(Checkpoint.read(run).globalWeights(), inProcess("4", "1500"))).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void secureAggregationAcrossProcessesMatchesInProcessAndSurvivesAKilledClient() throws Exception {
        Path run = tmp.resolve("secure");
        Process server = server(run, "2", "15s", "--limit", "3000", "--scheme", "fl", "--secure-agg");
        Process doomed = client(2, "client2.log");
        client(0, "client0.log");
        client(1, "client1.log");
        await(() -> log("client2.log").contains("training round 2"), "client 2 to start round 2");
        doomed.destroyForcibly().waitFor();
        assertThat(server.waitFor(4, TimeUnit.MINUTES)).isTrue();
        assertThat(server.exitValue()).as(log("server-secure.log")).isZero();
        assertThat(log("client0.log")).contains("secure aggregation").contains("the run is over; client 0 trained 2 round(s)");
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        JsonNode first = JSON.readTree(metrics.get(0));
        assertThat(first.get("clients").asInt()).isEqualTo(3);
        // 3 clients tolerate 1 dropout: round 2 closes with the two survivors, client 2's masks removed.
        assertThat(JSON.readTree(metrics.get(1)).get("clients").asInt()).isEqualTo(2);
        assertThat(Files.readString(run.resolve("config.yaml"))).contains("secure-agg: true").contains("secure-agg-dropouts: 1");
        // Round 1 equals the in-process secure run's; its bytes include secure aggregation's exactly.
        Path local = tmp.resolve("local-secure");
        SimulateCommandTest.Outcome o = SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample",
                "--clients", "3", "--rounds", "1", "--limit", "3000", "--threads", "1", "--quiet", "--scheme", "fl",
                "--secure-agg", "--out", local.toString());
        assertThat(o.status()).as(o.err()).isZero();
        JsonNode inProcess = JSON.readTree(Files.readAllLines(local.resolve("metrics.jsonl")).get(0));
        assertThat(first.get("test_accuracy").asDouble()).isEqualTo(inProcess.get("test_accuracy").asDouble());
        assertThat(first.get("bytes_up").asLong()).isEqualTo(inProcess.get("bytes_up").asLong());
        assertThat(first.get("bytes_down").asLong()).isEqualTo(inProcess.get("bytes_down").asLong());
    }
}
