package dev.splitfed.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.splitfed.InvalidInputException;
import dev.splitfed.scheme.RoundMetrics;
import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.SimulationListener;
import dev.splitfed.scheme.SimulationPlan;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's record into its out directory: {@code metrics.jsonl} (one JSON object per round,
 * appended and flushed as each round ends, so an interrupted run keeps its completed rounds) and
 * {@code summary.json} (the final figures and everything needed to re-run it).
 */
public final class RunRecorder implements SimulationListener {

    /** Writes JSON with snake_case keys, as every splitfed record uses. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private final Path dir;
    private final Map<String, Object> provenance;
    private final List<RoundMetrics> rounds = new ArrayList<>();
    private final Instant started = Instant.now();
    private SimulationPlan plan;

    /**
     * Creates a recorder writing into {@code dir}, which is created if needed.
     *
     * @param dir the out directory
     * @param provenance versions and machine, from {@link Provenance#current()}
     * @throws InvalidInputException if the directory cannot be created or already holds a run
     */
    public RunRecorder(Path dir, Map<String, Object> provenance) {
        this.dir = dir;
        this.provenance = provenance;
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InvalidInputException("the out directory " + dir + " is a file");
        }
        try {
            Files.createDirectories(dir);
        } catch (AccessDeniedException e) {
            throw new InvalidInputException("cannot create the out directory " + dir + ": permission denied", e);
        } catch (IOException e) {
            throw new InvalidInputException("cannot create the out directory " + dir + ": " + e.getMessage(), e);
        }
        if (Files.exists(metricsFile())) {
            throw new InvalidInputException(
                    "the out directory " + dir + " already holds a run (metrics.jsonl); choose another --out");
        }
    }

    /** Returns the path of {@code metrics.jsonl}. */
    public Path metricsFile() {
        return dir.resolve("metrics.jsonl");
    }

    /** Returns the path of {@code summary.json}. */
    public Path summaryFile() {
        return dir.resolve("summary.json");
    }

    @Override
    public void started(SimulationPlan plan) {
        this.plan = plan;
    }

    @Override
    public void roundFinished(RoundMetrics metrics) {
        rounds.add(metrics);
        try (BufferedWriter w = Files.newBufferedWriter(
                metricsFile(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            w.write(JSON.writeValueAsString(metrics));
            w.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + metricsFile(), e);
        }
    }

    /**
     * Writes {@code summary.json} for the rounds recorded so far, atomically (a temporary file
     * renamed into place).
     *
     * @return the summary as written
     */
    public Map<String, Object> writeSummary() {
        if (plan == null) {
            throw new IllegalStateException("the run has not started");
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("scheme", plan.config().scheme().id());
        s.put("rounds_completed", rounds.size());
        if (!rounds.isEmpty()) {
            RoundMetrics last = rounds.get(rounds.size() - 1);
            s.put("final_test_accuracy", last.testAccuracy());
            s.put("final_test_loss", last.testLoss());
            s.put("best_test_accuracy", rounds.stream().mapToDouble(RoundMetrics::testAccuracy).max().orElseThrow());
            double seconds = rounds.stream().mapToDouble(RoundMetrics::seconds).sum();
            s.put("seconds_total", seconds);
            s.put("seconds_per_round", seconds / rounds.size());
            s.put("bytes_up_total", rounds.stream().mapToLong(RoundMetrics::bytesUp).sum());
            s.put("bytes_down_total", rounds.stream().mapToLong(RoundMetrics::bytesDown).sum());
        }
        s.put("config", plan.config().toMap(plan.architecture().name()));
        s.put("seed", plan.config().seed());
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", plan.architecture().name());
        model.put("cut", plan.config().cut());
        model.put("client_parameters", plan.clientParameters());
        model.put("server_parameters", plan.serverParameters());
        s.put("model", model);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dataset", plan.config().dataset());
        data.put("source", plan.data().source());
        data.put("bundled_sample", plan.data().sample());
        data.put("train_samples", plan.data().train().size());
        data.put("test_samples", plan.data().test().size());
        s.put("data", data);
        s.put("partition", partitionRecord());
        s.put("provenance", provenance);
        s.put("started_at", started.toString());
        s.put("finished_at", Instant.now().toString());
        try {
            Path tmp = dir.resolve("summary.json.tmp");
            JSON.writerWithDefaultPrettyPrinter().with(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), s);
            Files.move(tmp, summaryFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + summaryFile(), e);
        }
        return s;
    }

    private Map<String, Object> partitionRecord() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spec", plan.config().scheme() == Scheme.CENTRAL ? "all" : plan.config().partition());
        p.put("clients", plan.partition().length);
        p.put("class_histogram", plan.histogram().counts());
        return p;
    }
}
