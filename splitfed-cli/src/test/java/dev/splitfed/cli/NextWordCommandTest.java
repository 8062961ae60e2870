package dev.splitfed.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitfed.InvalidInputException;
import dev.splitfed.data.Dataset;
import dev.splitfed.internal.data.Fortunes;
import dev.splitfed.internal.data.Vocabulary;
import dev.splitfed.scheme.Checkpoint;
import dev.splitfed.internal.scheme.ClientData;
import dev.splitfed.scheme.SimulationConfig;
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

/**
 * The next-word workload from the command line: simulate on fortune files, predict from the run,
 * what both refuse, and a deployment whose client processes each read only their own topic file
 * with the run's vocabulary and train the in-process model.
 */
class NextWordCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> TOPICS = List.of("goedel", "magic", "pets");

    @TempDir
    Path tmp;

    private final Jvms jvms = new Jvms();

    @AfterEach
    void killLeftovers() {
        jvms.close();
    }

    /**
     * The topic files splitfed-core's tests ship (copies of Debian's fortunes package, licence in
     * NOTICE there); Maven runs each module's tests in the module's own directory.
     */
    static final Path SHIPPED = Path.of("..", "splitfed-core", "src", "test", "resources", "fortunes");

    /** Copies shipped topic files into {@code dir}. */
    static Path topics(Path dir, List<String> topics) throws IOException {
        Files.createDirectories(dir);
        for (String topic : topics) {
            Path file = SHIPPED.resolve(topic);
            assertThat(file).as("a topic file shipped with the tests").isRegularFile();
            Files.copy(file, dir.resolve(topic));
        }
        return dir;
    }

    /**
     * Writes a phone's own text: the training texts of one topic file (a run holds out every tenth
     * text for its test set; a phone trains on all of its own), so that it holds the samples the
     * in-process run gives that topic's client.
     */
    private static Path ownText(Path dir, String topic) throws IOException {
        Files.createDirectories(dir);
        List<String> texts = Fortunes.texts(Files.readString(SHIPPED.resolve(topic)));
        List<String> kept = new ArrayList<>();
        for (int j = 0; j < texts.size(); j++) {
            if ((j + 1) % Fortunes.HOLDOUT_EVERY != 0) {
                kept.add(texts.get(j));
            }
        }
        Files.writeString(dir.resolve(topic), String.join("\n%\n", kept) + "\n");
        return dir;
    }

    private SimulateCommandTest.Outcome simulate(Path out, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("simulate", "--dataset", "fortunes", "--data-dir",
                topics(tmp.resolve("topics-" + out.getFileName()), TOPICS).toString(), "--clients", "3", "--rounds", "1",
                "--lr", "0.5", "--threads", "1", "--quiet", "--out", out.toString()));
        args.addAll(List.of(more));
        return SimulateCommandTest.run(args.toArray(String[]::new));
    }

    @Test
    void simulateRecordsTopThreeAndPerplexityAndPredictSuggestsWords() throws IOException {
        Path out = tmp.resolve("words");
        SimulateCommandTest.Outcome o = simulate(out, "--scheme", "sl");
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(Files.readString(out.resolve("config.yaml"))).contains("partition: \"natural\"");
        JsonNode round = JSON.readTree(Files.readAllLines(out.resolve("metrics.jsonl")).get(0));
        double top3 = round.get("top3_accuracy").asDouble();
        assertThat(top3).isBetween(round.get("test_accuracy").asDouble(), 1.0);
        assertThat(round.get("perplexity").asDouble()).isCloseTo(Math.exp(round.get("test_loss").asDouble()),
                org.assertj.core.api.Assertions.within(1e-6 * round.get("perplexity").asDouble()));
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("final_top3_accuracy").asDouble()).isEqualTo(top3);
        assertThat(summary.get("partition").has("samples")).isTrue();
        Vocabulary vocabulary = Vocabulary.read(out);

        SimulateCommandTest.Outcome p = SimulateCommandTest.run("predict", "--model-file",
                out.resolve("checkpoint.bin").toString(), "--text", "Knock, knock. Who's");
        assertThat(p.status()).as(p.err()).isZero();
        List<String> lines = p.out().lines().toList();
        assertThat(lines).hasSize(3);
        double previous = 1;
        for (String line : lines) {
            String[] parts = line.trim().split("\\s+");
            assertThat(vocabulary.indexOf(parts[0])).as(line).isGreaterThan(Vocabulary.START_INDEX);
            double probability = Double.parseDouble(parts[1]);
            assertThat(probability).isBetween(0.0, previous);
            previous = probability;
        }
        assertThat(SimulateCommandTest.run("predict", "--model-file", out.toString(), "--text", "", "--top", "5")
                .out().lines().count()).isEqualTo(5);
    }

    @Test
    void predictAndSimulateRefuseWhatDoesNotFit() throws IOException {
        String nl = System.lineSeparator();
        SimulateCommandTest.Outcome missing = SimulateCommandTest.run("predict", "--model-file",
                tmp.resolve("none/checkpoint.bin").toString(), "--text", "a");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("does not exist");

        Path images = tmp.resolve("images");
        assertThat(SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample", "--limit", "300", "--rounds", "1",
                "--scheme", "fl", "--threads", "1", "--quiet", "--out", images.toString()).status()).isZero();
        SimulateCommandTest.Outcome notWords = SimulateCommandTest.run("predict", "--model-file",
                images.resolve("checkpoint.bin").toString(), "--text", "a");
        assertThat(notWords.status()).isEqualTo(2);
        assertThat(notWords.err()).contains("vocabulary.txt does not exist");
        SimulateCommandTest.Outcome top = SimulateCommandTest.run("predict", "--model-file", images.toString(),
                "--text", "a", "--top", "0");
        assertThat(top.status()).isEqualTo(2);
        assertThat(top.err()).isEqualTo("splitfed: --top must be at least 1, not 0." + nl);

        Path personal = tmp.resolve("personal");
        assertThat(simulate(personal, "--scheme", "fl", "--personal-head").status()).isZero();
        SimulateCommandTest.Outcome headless = SimulateCommandTest.run("predict", "--model-file", personal.toString(),
                "--text", "a");
        assertThat(headless.status()).isEqualTo(2);
        assertThat(headless.err()).contains("--personal-head");

        SimulateCommandTest.Outcome tooMany = simulate(tmp.resolve("many"), "--clients", "4");
        assertThat(tooMany.status()).isEqualTo(2);
        assertThat(tooMany.err()).isEqualTo("splitfed: fortunes has 3 natural owners (goedel, magic, pets), so "
                + "--partition natural takes at most 3 clients, not 4." + nl);
        SimulateCommandTest.Outcome lenet = simulate(tmp.resolve("lenet"), "--model", "mlp");
        assertThat(lenet.status()).isEqualTo(2);
        assertThat(lenet.err()).contains("use --model next-word");
        SimulateCommandTest.Outcome natural = SimulateCommandTest.run("simulate", "--dataset", "breast-cancer",
                "--partition", "natural", "--rounds", "1", "--quiet", "--out", tmp.resolve("bc").toString());
        assertThat(natural.status()).isEqualTo(2);
        assertThat(natural.err()).contains("natural owners, such as fortunes");
    }

    private Process jvm(String log, List<String> args) throws IOException {
        return jvms.start(tmp.resolve(log), args);
    }

    @Test
    @Tag("deployment")
    void clientProcessesReadingTheirOwnTopicWithTheRunsVocabularyTrainTheInProcessModel() throws Exception {
        Path certs = tmp.resolve("certs");
        assertThat(SimulateCommandTest.run("certs", "--out", certs.toString(), "--clients", "3").status()).isZero();
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path run = tmp.resolve("run");
        Process server = jvm("server.log", List.of("server", "--port", Integer.toString(port), "--certs", certs.toString(),
                "--clients", "3", "--rounds", "2", "--round-timeout", "2m", "--dataset", "fortunes", "--data-dir",
                topics(tmp.resolve("all"), TOPICS).toString(), "--lr", "0.5", "--threads", "1", "--quiet",
                "--out", run.toString()));
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(run.resolve(Vocabulary.FILE))) {
            assertThat(System.nanoTime()).as("the server writes its vocabulary: " + Files.readString(tmp.resolve("server.log")))
                    .isLessThan(end);
            Thread.sleep(20);
        }
        for (int id = 0; id < 3; id++) {
            jvm("client" + id + ".log", List.of("client", "--server", "localhost:" + port, "--certs", certs.toString(),
                    "--client-id", Integer.toString(id), "--threads", "1", "--give-up-after", "3m",
                    "--data-dir", ownText(tmp.resolve("own" + id), TOPICS.get(id)).toString(),
                    "--vocabulary", run.resolve(Vocabulary.FILE).toString()));
        }
        Jvms.awaitSuccess(server, tmp.resolve("server.log"), 4);
        for (int id = 0; id < 3; id++) {
            Jvms.awaitSuccess(jvms.all().get(id + 1), tmp.resolve("client" + id + ".log"), 1);
        }
        Path local = tmp.resolve("local");
        SimulateCommandTest.Outcome o = simulate(local, "--rounds", "2");
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(Jvms.maxAbsDifference(Checkpoint.read(run).globalWeights(), Checkpoint.read(local).globalWeights()))
                .isLessThanOrEqualTo(1e-4);

        SimulationConfig words = SimulationConfig.builder().optDataset("fortunes").build();
        assertThatThrownBy(() -> ClientData.load(words, 0, tmp.resolve("own0"), null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("pass vocabulary with");
        Dataset mine = ClientData.load(words, 0, tmp.resolve("own0"), run.resolve(Vocabulary.FILE));
        ClientData.checkVocabulary(mine, Vocabulary.read(run).digest());
        assertThatThrownBy(() -> ClientData.checkVocabulary(mine, "0".repeat(64)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not the run's");
        SimulationConfig images = SimulationConfig.builder().optDataset("fashion-mnist-sample").build();
        assertThatThrownBy(() -> ClientData.load(images, 0, null, run.resolve(Vocabulary.FILE)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("vocabulary applies only");
    }
}
