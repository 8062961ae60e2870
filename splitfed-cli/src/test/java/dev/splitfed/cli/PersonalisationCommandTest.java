package dev.splitfed.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --scaffold} and {@code --personal-head} on the command line: what simulate records, what
 * it refuses, and a server with three client JVMs, whose clients keep their control variates and
 * heads between rounds, training the in-process model.
 */
class PersonalisationCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final Jvms jvms = new Jvms();

    @AfterEach
    void killLeftovers() {
        jvms.close();
    }

    @Test
    void simulateRecordsThePersonalAccuracyAndRefusesWhatDoesNotCompose() throws IOException {
        Path out = tmp.resolve("fedper");
        SimulateCommandTest.Outcome o = SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample",
                "--scheme", "fl", "--personal-head", "--partition", "shards:2", "--limit", "600", "--rounds", "1",
                "--clients", "3", "--threads", "1", "--quiet", "--out", out.toString());
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(Files.readString(out.resolve("config.yaml"))).contains("personal-head: true")
                .contains("personal-holdout: 0.2");
        JsonNode round = JSON.readTree(Files.readAllLines(out.resolve("metrics.jsonl")).get(0));
        assertThat(round.get("personal_accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(round.get("personal_accuracy_min").asDouble()).isLessThanOrEqualTo(round.get("personal_accuracy").asDouble());
        assertThat(JSON.readTree(out.resolve("summary.json").toFile()).get("final_personal_accuracy").asDouble())
                .isEqualTo(round.get("personal_accuracy").asDouble());

        SimulateCommandTest.Outcome sl = SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample",
                "--scheme", "sl", "--scaffold", "--out", tmp.resolve("sl").toString());
        assertThat(sl.status()).isEqualTo(2);
        assertThat(sl.err()).isEqualTo("splitfed: --scaffold corrects the drift of clients averaged by the fed server, "
                + "so it applies to fl, sflv1 and sflv2, not to sl." + System.lineSeparator());
        SimulateCommandTest.Outcome shared = SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample",
                "--personal-head", "--out", tmp.resolve("shared").toString());
        assertThat(shared.status()).isEqualTo(2);
        assertThat(shared.err()).contains("--personal-head in sflv1 needs --labels private");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--scaffold", "--personal-head"})
    @Tag("deployment")
    void aServerAndThreeClientProcessesTrainTheInProcessModel(String flag) throws Exception {
        Path certs = tmp.resolve("certs");
        assertThat(SimulateCommandTest.run("certs", "--out", certs.toString(), "--clients", "3").status()).isZero();
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> common = List.of("--dataset", "fashion-mnist-sample", "--scheme", "fl", "--clients", "3",
                "--rounds", "3", "--limit", "600", "--momentum", "0", "--threads", "1", "--quiet", flag);
        Path run = tmp.resolve("run");
        List<String> serverArgs = new ArrayList<>(List.of("server", "--port", Integer.toString(port), "--certs",
                certs.toString(), "--round-timeout", "2m", "--out", run.toString()));
        serverArgs.addAll(common);
        Process server = jvm("server.log", serverArgs);
        for (int id = 0; id < 3; id++) {
            jvm("client" + id + ".log", List.of("client", "--server", "localhost:" + port, "--certs", certs.toString(),
                    "--client-id", Integer.toString(id), "--threads", "1", "--give-up-after", "3m"));
        }
        assertThat(server.waitFor(4, TimeUnit.MINUTES)).isTrue();
        assertThat(server.exitValue()).as(Files.readString(tmp.resolve("server.log"))).isZero();
        Path local = tmp.resolve("local");
        List<String> simulate = new ArrayList<>(List.of("simulate", "--out", local.toString()));
        simulate.addAll(common);
        SimulateCommandTest.Outcome o = SimulateCommandTest.run(simulate.toArray(String[]::new));
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(Jvms.maxAbsDifference(Checkpoint.read(run).globalWeights(), Checkpoint.read(local).globalWeights()))
                .isLessThanOrEqualTo(1e-4);
        // Control variates and the heads' absence change the bytes alike in both.
        JsonNode a = JSON.readTree(Files.readAllLines(run.resolve("metrics.jsonl")).get(2));
        JsonNode b = JSON.readTree(Files.readAllLines(local.resolve("metrics.jsonl")).get(2));
        assertThat(a.get("bytes_up").asLong()).isEqualTo(b.get("bytes_up").asLong());
        assertThat(a.get("bytes_down").asLong()).isEqualTo(b.get("bytes_down").asLong());
        // The server cannot see the clients' heads, so it reports no personal accuracy; the simulation does.
        assertThat(a.has("personal_accuracy")).isFalse();
        assertThat(b.has("personal_accuracy")).isEqualTo(flag.equals("--personal-head"));
    }

    private Process jvm(String log, List<String> args) throws IOException {
        return jvms.start(tmp.resolve(log), args);
    }
}
