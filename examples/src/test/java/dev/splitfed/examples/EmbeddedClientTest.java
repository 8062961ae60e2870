package dev.splitfed.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.cli.Main;
import dev.splitfed.scheme.Checkpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code splitfed server}, in a JVM of its own, serves a run over mutual TLS to two clients
 * embedded in this JVM: one started through the example's {@code main}, one through its
 * {@code join}. The run completes and trains the model the in-process simulation trains.
 */
class EmbeddedClientTest {

    /** The run's settings, shared by the server and the in-process reference run. */
    private static final List<String> RUN = List.of("--clients", "2", "--rounds", "2", "--dataset", "fashion-mnist-sample",
            "--limit", "600", "--threads", "1", "--quiet");

    @TempDir
    Path tmp;

    private Process server;
    private ExecutorService threads;

    @AfterEach
    void stop() {
        if (server != null) {
            server.destroyForcibly();
        }
        if (threads != null) {
            threads.shutdownNow();
        }
    }

    /** Runs {@code splitfed ARGS} in this JVM and checks that it succeeded. */
    private static void splitfed(List<String> args) {
        StringWriter err = new StringWriter();
        int status;
        try (PrintWriter o = new PrintWriter(new StringWriter()); PrintWriter e = new PrintWriter(err)) {
            status = Main.run(args.toArray(String[]::new), o, e);
        }
        assertThat(status).as(err.toString()).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    /** Starts {@code splitfed ARGS} in a new JVM on this test's class path, as a deployment runs its server. */
    private static Process startJvm(List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    @Tag("deployment")
    void twoEmbeddedClientsTrainARunOfTheSplitfedServer() throws Exception {
        Path certs = tmp.resolve("certs");
        splitfed(List.of("certs", "--out", certs.toString(), "--clients", "2"));
        int port = freePort();
        Path run = tmp.resolve("run");
        Path serverLog = tmp.resolve("server.log");
        List<String> serve = new ArrayList<>(List.of("server", "--port", Integer.toString(port), "--certs",
                certs.toString(), "--round-timeout", "2m", "--out", run.toString()));
        serve.addAll(RUN);
        server = startJvm(serve, serverLog);

        threads = Executors.newFixedThreadPool(2);
        Future<?> viaMain = threads.submit(() -> {
            EmbeddedClient.main(new String[] {"localhost:" + port, certs.toString(), "0"});
            return null;
        });
        StringWriter log = new StringWriter();
        Future<Integer> viaJoin = threads.submit(
                () -> EmbeddedClient.join("localhost", port, certs, 1, new PrintWriter(log, true)));

        assertThat(server.waitFor(3, TimeUnit.MINUTES)).as("the server finished within 3 minutes").isTrue();
        assertThat(server.exitValue()).as(Files.readString(serverLog)).isZero();
        viaMain.get(1, TimeUnit.MINUTES);
        assertThat(viaJoin.get(1, TimeUnit.MINUTES)).as("rounds client 1 trained").isEqualTo(2);
        // 600 samples over 2 clients, iid: 300 each.
        assertThat(log.toString()).contains("client 1 joined localhost:" + port + ": 300 samples of fashion-mnist-sample");

        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertThat(metrics).hasSize(2);
        for (int r = 0; r < 2; r++) {
            assertThat(metrics.get(r)).startsWith("{\"round\":" + (r + 1) + ",\"scheme\":\"sflv1\",\"clients\":2,");
        }
        assertThat(Files.readString(run.resolve("summary.json"))).contains("\"transport\" : \"grpc, mutual TLS\"");

        Path local = tmp.resolve("local");
        List<String> simulate = new ArrayList<>(List.of("simulate", "--out", local.toString()));
        simulate.addAll(RUN);
        splitfed(simulate);
        float[] deployed = Checkpoint.read(run).globalWeights();
        float[] simulated = Checkpoint.read(local).globalWeights();
        assertThat(deployed).hasSameSizeAs(simulated);
        double max = 0;
        for (int i = 0; i < deployed.length; i++) {
            max = Math.max(max, Math.abs(deployed[i] - simulated[i]));
        }
        // Measured: 0 (the same operations in the same order); 1e-4 as for the other deployments.
        assertThat(max).as("largest weight difference from the in-process run").isLessThanOrEqualTo(1e-4);
    }

    @Test
    void theEmbeddedClientNeedsNoCommandLineClass() throws IOException {
        // A class file names every class it refers to; the example's must name none of splitfed-cli's.
        byte[] bytes;
        try (InputStream in = EmbeddedClient.class.getResourceAsStream("EmbeddedClient.class")) {
            bytes = in.readAllBytes();
        }
        String constants = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThat(constants).contains("dev/splitfed/grpc/ClientRunner").doesNotContain("dev/splitfed/cli/");
    }
}
