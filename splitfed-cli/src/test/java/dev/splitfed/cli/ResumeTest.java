package dev.splitfed.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitfed.scheme.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run killed after round 2 of 4 and resumed ends exactly as the uninterrupted run, server optimizer and all. */
class ResumeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static List<String> args(Path out) {
        // FedAdam's moments must come back from the checkpoint for the resumed run to end alike.
        return List.of("simulate", "--scheme", "sflv2", "--dataset", "fashion-mnist-sample", "--clients", "3",
                "--rounds", "4", "--strategy", "fedadam:lr=0.003", "--prox-mu", "0.01", "--threads", "1", "--quiet",
                "--out", out.toString());
    }

    @Test
    @Tag("deployment")
    void killedRunResumesToTheUninterruptedResult() throws Exception {
        Path whole = tmp.resolve("whole");
        assertThat(SimulateCommandTest.run(args(whole).toArray(String[]::new)).status()).isZero();

        // The same run in its own JVM, killed (SIGKILL) as soon as round 2 is recorded.
        Path killed = tmp.resolve("killed");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dai.djl.offline=true", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args(killed));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("killed.log").toFile()).start();
        Path metrics = killed.resolve("metrics.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (lines(metrics) < 2 && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        process.destroyForcibly().waitFor();
        int recorded = lines(metrics);
        assertThat(recorded).as(Files.readString(tmp.resolve("killed.log"))).isBetween(2, 3);
        // The kill may land between a round's metrics line and its checkpoint.
        int done = Checkpoint.read(killed).round();
        assertThat(done).isBetween(recorded - 1, recorded);
        assertThat(killed.resolve("summary.json")).doesNotExist();

        // A crash between the metrics line and the checkpoint leaves a line the checkpoint does not cover.
        String last = Files.readAllLines(metrics).get(recorded - 1);
        Files.writeString(metrics, last.replace("\"round\":" + recorded, "\"round\":" + (recorded + 1)) + "\n",
                StandardOpenOption.APPEND);

        SimulateCommandTest.Outcome resumed = SimulateCommandTest.run("simulate", "--resume", killed.toString(), "--quiet");
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("Resuming " + killed + " after round " + done + " of 4");
        assertThat(SimulateCommandTest.withoutTimings(metrics)).isEqualTo(SimulateCommandTest.withoutTimings(whole.resolve("metrics.jsonl")));
        JsonNode a = JSON.readTree(whole.resolve("summary.json").toFile());
        JsonNode b = JSON.readTree(killed.resolve("summary.json").toFile());
        assertThat(b.get("final_test_accuracy")).isEqualTo(a.get("final_test_accuracy"));
        assertThat(b.get("rounds_completed").asInt()).isEqualTo(4);
        assertThat(Checkpoint.read(killed).globalWeights()).containsExactly(Checkpoint.read(whole).globalWeights());

        SimulateCommandTest.Outcome again = SimulateCommandTest.run("simulate", "--resume", killed.toString());
        assertThat(again.status()).isZero();
        assertThat(again.out()).contains("finished all 4 rounds already");
    }

    @Test
    void resumeRefusesOptionsThatWouldChangeTheRun() {
        SimulateCommandTest.Outcome o = SimulateCommandTest.run("simulate", "--resume", tmp.toString(), "--rounds", "9");
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("--rounds cannot be given with it");
        SimulateCommandTest.Outcome none = SimulateCommandTest.run("simulate", "--resume", tmp.toString());
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).contains("holds no config.yaml");
    }

    private static int lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        return (int) Files.readAllLines(file).stream().filter(l -> l.endsWith("}")).count();
    }
}
