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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --labels private} on the command line: simulate, cost, refusals, and a deployment of separate JVMs. */
class PrivateLabelsCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final Jvms jvms = new Jvms();

    @AfterEach
    void killLeftovers() {
        jvms.close();
    }

    @Test
    void privateLabelsOutsideTheSplitSchemesOrWithAnEmptyMiddleAreRefusedWithOneSentence() {
        SimulateCommandTest.Outcome fl = SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample",
                "--scheme", "fl", "--labels", "private", "--out", tmp.resolve("fl").toString());
        assertThat(fl.status()).isEqualTo(2);
        assertThat(fl.err()).isEqualTo("splitfed: labels private (the U-shaped split) needs a split scheme, sl, sflv1 "
                + "or sflv2: in fl no labels leave a client anyway." + System.lineSeparator());
        SimulateCommandTest.Outcome cut = SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample",
                "--cut", "4", "--labels", "private", "--out", tmp.resolve("cut").toString());
        assertThat(cut.status()).isEqualTo(2);
        assertThat(cut.err()).startsWith("splitfed: cut 4 leaves the main server no layers with --labels private")
                .contains("use a cut from 1 to 3.");
        assertThat(SimulateCommandTest.run("simulate", "--labels", "public").err())
                .contains("unknown labels 'public'; expected shared or private");
        assertThat(Files.exists(tmp.resolve("fl"))).isFalse();
    }

    @Test
    void costWithPrivateLabelsPrintsTheHandComputedBytes() {
        SimulateCommandTest.Outcome o = SimulateCommandTest.run(
                "cost", "--dataset", "fashion-mnist-sample", "--clients", "5", "--labels", "private");
        assertThat(o.status()).as(o.err()).isZero();
        // 1200 samples per client, q = 1176, h = 84, |W_C| = 156, |W_H| = 850:
        // up = down = 4 * (1200 * (1176 + 84) + 156 + 850) = 6,052,024; per client 12,104,048; 5 clients 60,520,240.
        String sflv1 = o.out().lines().filter(l -> l.startsWith("sflv1")).findFirst().orElseThrow();
        assertThat(sflv1).contains("6.052 MB").contains("12.104 MB").contains("60.520 MB");
        assertThat(o.out()).contains("|W_H| = 850, h = 84 floats per sample");
        String fl = o.out().lines().filter(l -> l.startsWith("fl ")).findFirst().orElseThrow();
        assertThat(fl).contains("246.824 kB");
    }

    @Test
    void simulateRecordsTheLabelsAndMeasuresWhatTheCostModelPredicts() throws IOException {
        Path out = tmp.resolve("u");
        SimulateCommandTest.Outcome o = SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample",
                "--labels", "private", "--scheme", "sl", "--limit", "600", "--rounds", "1", "--clients", "3",
                "--threads", "1", "--quiet", "--out", out.toString());
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(Files.readString(out.resolve("config.yaml"))).contains("labels: \"private\"");
        JsonNode round = JSON.readTree(Files.readAllLines(out.resolve("metrics.jsonl")).get(0));
        // 600 samples, 3 clients of 200: up 3 (4 * 200 * 1260 + 4 * 1006 + 4), down 3 (4 * 200 * 1260 + 4 * 1006).
        assertThat(round.get("bytes_up").asLong()).isEqualTo(3L * (4 * 200 * 1260 + 4 * 1006 + 4));
        assertThat(round.get("bytes_down").asLong()).isEqualTo(3L * (4 * 200 * 1260 + 4 * 1006));
        assertThat((double) round.get("bytes_up").asLong() + round.get("bytes_down").asLong())
                .isCloseTo(round.get("predicted_bytes").asDouble(), withinPercentage(1));
        assertThat(Checkpoint.read(out).globalWeights()).hasSize(61_706);
    }

    private Process jvm(String log, List<String> args) throws IOException {
        return jvms.start(tmp.resolve(log), args);
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    /** A fed server, a main server and two clients, each its own JVM, train the in-process model. */
    @Test
    @Tag("deployment")
    void separateMainServerAndClientProcessesTrainTheInProcessModel() throws Exception {
        Path certs = tmp.resolve("certs");
        assertThat(SimulateCommandTest.run("certs", "--out", certs.toString(), "--clients", "2").status()).isZero();
        int port = freePort();
        int mainPort = freePort();
        List<String> common = List.of("--certs", certs.toString(), "--clients", "2", "--rounds", "1",
                "--dataset", "fashion-mnist-sample", "--limit", "300", "--threads", "1", "--scheme", "sflv1",
                "--labels", "private");
        List<String> mainArgs = new ArrayList<>(List.of("server", "--role", "main", "--port", Integer.toString(mainPort)));
        mainArgs.addAll(common);
        Process main = jvm("main.log", mainArgs);
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(tmp.resolve("main.log")) || !Files.readString(tmp.resolve("main.log")).contains("listening")) {
            assertThat(System.nanoTime()).as("the main server listens").isLessThan(end);
            Thread.sleep(50);
        }
        Path run = tmp.resolve("split");
        List<String> fedArgs = new ArrayList<>(List.of("server", "--role", "fed", "--port", Integer.toString(port),
                "--main-server", "localhost:" + mainPort, "--quiet", "--out", run.toString()));
        fedArgs.addAll(common);
        Process fed = jvm("fed.log", fedArgs);
        for (int id = 0; id < 2; id++) {
            jvm("client" + id + ".log", List.of("client", "--server", "localhost:" + port, "--certs", certs.toString(),
                    "--client-id", Integer.toString(id), "--threads", "1", "--give-up-after", "3m"));
        }
        assertThat(fed.waitFor(4, TimeUnit.MINUTES)).isTrue();
        assertThat(fed.exitValue()).as(Files.readString(tmp.resolve("fed.log"))).isZero();
        main.destroy();

        Path local = tmp.resolve("local");
        SimulateCommandTest.Outcome o = SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample",
                "--clients", "2", "--rounds", "1", "--limit", "300", "--threads", "1", "--scheme", "sflv1",
                "--labels", "private", "--quiet", "--out", local.toString());
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(Jvms.maxAbsDifference(Checkpoint.read(run).globalWeights(), Checkpoint.read(local).globalWeights()))
                .isLessThanOrEqualTo(1e-4);
        JsonNode round = JSON.readTree(Files.readAllLines(run.resolve("metrics.jsonl")).get(0));
        assertThat((double) round.get("bytes_up").asLong() + round.get("bytes_down").asLong())
                .isCloseTo(round.get("predicted_bytes").asDouble(), withinPercentage(1));
    }
}
