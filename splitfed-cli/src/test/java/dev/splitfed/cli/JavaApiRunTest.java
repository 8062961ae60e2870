package dev.splitfed.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.report.Provenance;
import dev.splitfed.report.RunRecorder;
import dev.splitfed.scheme.Simulation;
import dev.splitfed.scheme.SimulationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run assembled through the Java API from the same settings as a command line gives the same
 * run: the same {@code config.yaml} and the same {@code metrics.jsonl}, but for the wall-clock
 * fields {@code seconds} and {@code eval_seconds}, which no two runs share.
 */
@Tag("long")
class JavaApiRunTest {

    @TempDir
    Path tmp;

    @Test
    void javaRunEqualsCommandLineRunOnImages() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("dataset", "fashion-mnist-sample");
        settings.put("limit", "600");
        settings.put("clients", "3");
        settings.put("partition", "dirichlet:0.5");
        settings.put("rounds", "2");
        settings.put("threads", "1");
        assertSameRun(settings);
    }

    @Test
    void javaRunEqualsCommandLineRunOnWords() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("scheme", "fl");
        settings.put("dataset", "fortunes");
        settings.put("data-dir", NextWordCommandTest.topics(tmp.resolve("topics"), NextWordCommandTest.TOPICS).toString());
        settings.put("clients", "3");
        settings.put("rounds", "1");
        settings.put("threads", "1");
        assertSameRun(settings);
    }

    private void assertSameRun(Map<String, String> settings) throws IOException {
        Path cli = tmp.resolve("cli");
        List<String> args = new ArrayList<>(List.of("simulate", "--quiet", "--out", cli.toString()));
        settings.forEach((k, v) -> args.addAll(List.of("--" + k, v)));
        SimulateCommandTest.Outcome o = SimulateCommandTest.run(args.toArray(String[]::new));
        assertThat(o.status()).as(o.err()).isZero();

        Path java = tmp.resolve("java");
        SimulationConfig config = SimulationConfig.fromSettings(settings);
        Simulation simulation = new Simulation(config, DatasetCatalog.load(config.dataset(), config.dataOptions(), config.dataDir(), System.getenv()));
        RunRecorder recorder = RunRecorder.create(java, Provenance.current());
        simulation.run(recorder);
        recorder.finish();

        assertThat(Files.readString(java.resolve("config.yaml"))).isEqualTo(Files.readString(cli.resolve("config.yaml")));
        List<String> fromCli = withoutClock(cli.resolve("metrics.jsonl"));
        assertThat(fromCli).hasSize(Integer.parseInt(settings.get("rounds")));
        assertThat(withoutClock(java.resolve("metrics.jsonl"))).isEqualTo(fromCli);
    }

    private static List<String> withoutClock(Path metrics) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            ObjectNode round = (ObjectNode) json.readTree(line);
            round.remove(List.of("seconds", "eval_seconds"));
            out.add(round.toString());
        }
        return out;
    }
}
