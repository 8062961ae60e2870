package dev.splitfed.report;

import dev.splitfed.internal.report.Charts;
import dev.splitfed.internal.report.PeakMemory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.splitfed.InvalidInputException;
import dev.splitfed.data.ClassHistogram;
import dev.splitfed.data.Dataset;
import dev.splitfed.internal.data.Vocabulary;
import dev.splitfed.scheme.Checkpoint;
import dev.splitfed.scheme.RoundMetrics;
import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.SimulationListener;
import dev.splitfed.scheme.SimulationPlan;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
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
import java.util.stream.IntStream;

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

    private RunRecorder(Path dir, Map<String, Object> provenance) {
        PeakMemory.restart();
        this.dir = dir;
        this.provenance = provenance;
    }

    /**
     * Returns a recorder for a new run writing into {@code dir}, which is created if needed.
     *
     * @param dir the out directory
     * @param provenance versions and machine, from {@link Provenance#current()}
     * @return the recorder
     * @throws InvalidInputException if the directory cannot be created or already holds a run
     */
    public static RunRecorder create(Path dir, Map<String, Object> provenance) {
        RunRecorder recorder = new RunRecorder(dir, provenance);
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
        if (Files.exists(recorder.metricsFile())) {
            throw new InvalidInputException(
                    "the out directory " + dir + " already holds a run (metrics.jsonl); choose another out directory,"
                            + " or resume the run in " + dir);
        }
        return recorder;
    }

    /**
     * Returns a recorder that continues the run in {@code dir} after its checkpoint. Rounds the
     * metrics file holds beyond the checkpoint (a crash between the two writes) are dropped: they
     * will be trained again, identically.
     *
     * @param dir the run's out directory
     * @param provenance versions and machine of this continuation
     * @param checkpoint the run's checkpoint
     * @return the recorder, holding the metrics of the rounds up to the checkpoint
     * @throws InvalidInputException if the metrics lack a round the checkpoint covers
     */
    public static RunRecorder resume(Path dir, Map<String, Object> provenance, Checkpoint checkpoint) {
        RunRecorder recorder = new RunRecorder(dir, provenance);
        List<String> kept = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(recorder.metricsFile())) {
                if (line.isBlank()) {
                    continue;
                }
                RoundMetrics m = JSON.readValue(line, RoundMetrics.class);
                if (m.round() <= checkpoint.round()) {
                    recorder.rounds.add(m);
                    kept.add(line);
                }
            }
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(dir + " holds a checkpoint but no metrics.jsonl", e);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + recorder.metricsFile() + ": " + e.getMessage(), e);
        }
        for (int r = 1; r <= checkpoint.round(); r++) {
            if (r > recorder.rounds.size() || recorder.rounds.get(r - 1).round() != r) {
                throw new InvalidInputException(
                        recorder.metricsFile() + " lacks round " + r + " although the checkpoint is of round "
                                + checkpoint.round());
            }
        }
        try {
            Path tmp = dir.resolve("metrics.jsonl.tmp");
            Files.write(tmp, kept, StandardCharsets.UTF_8);
            Files.move(tmp, recorder.metricsFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + recorder.metricsFile(), e);
        }
        return recorder;
    }

    /** Returns the metrics of every round recorded so far, in order. */
    public List<RoundMetrics> rounds() {
        return List.copyOf(rounds);
    }

    /** Returns the path of {@code metrics.jsonl}. */
    public Path metricsFile() {
        return dir.resolve("metrics.jsonl");
    }

    /** Returns the path of {@code summary.json}. */
    public Path summaryFile() {
        return dir.resolve("summary.json");
    }

    /** The run's settings as a config file, which {@code --config} and {@code --resume} read back. */
    public static final String CONFIG_FILE = "config.yaml";

    @Override
    public void started(SimulationPlan plan) {
        this.plan = plan;
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
        try {
            yaml.writeValue(dir.resolve(CONFIG_FILE).toFile(), plan.config().toSettings());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + CONFIG_FILE + " in " + dir, e);
        }
        Dataset train = plan.data().train();
        if (train.kind() == Dataset.Kind.TOKENS) {
            // What `splitfed predict` needs to turn text into the model's inputs and its outputs into words.
            Vocabulary.of(train.classNames()).write(dir);
        }
    }

    /**
     * Appends the round's metrics, then writes the checkpoint; a crash between the two leaves a
     * metrics line the checkpoint does not cover, which {@link #resume} drops.
     */
    @Override
    public void roundFinished(RoundMetrics metrics, Checkpoint checkpoint) {
        rounds.add(metrics);
        try (BufferedWriter w = Files.newBufferedWriter(
                metricsFile(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            w.write(JSON.writeValueAsString(metrics));
            w.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + metricsFile(), e);
        }
        checkpoint.write(dir);
    }

    /** Returns the path of {@code report.html}. */
    public Path reportFile() {
        return dir.resolve("report.html");
    }

    /**
     * Writes {@code summary.json} and {@code report.html} for the rounds recorded so far.
     *
     * @return the summary as written
     */
    public Map<String, Object> finish() {
        Map<String, Object> summary = writeSummary();
        writeReport(summary);
        return summary;
    }

    /**
     * Writes {@code summary.json} for the rounds recorded so far, atomically (a temporary file
     * renamed into place).
     *
     * @return the summary as written
     */
    private Map<String, Object> writeSummary() {
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
            if (last.top3Accuracy() != null) {
                s.put("final_top3_accuracy", last.top3Accuracy());
                s.put("final_perplexity", last.perplexity());
            }
            double seconds = rounds.stream().mapToDouble(RoundMetrics::seconds).sum();
            s.put("seconds_total", seconds);
            s.put("seconds_per_round", seconds / rounds.size());
            s.put("bytes_up_total", rounds.stream().mapToLong(RoundMetrics::bytesUp).sum());
            s.put("bytes_down_total", rounds.stream().mapToLong(RoundMetrics::bytesDown).sum());
            s.put("predicted_bytes_total", rounds.stream().mapToLong(RoundMetrics::predictedBytes).sum());
            s.put("bytes_refused_total", rounds.stream().mapToLong(RoundMetrics::bytesRefused).sum());
            if (last.personalAccuracy() != null) {
                s.put("final_personal_accuracy", last.personalAccuracy());
            }
            if (last.epsilon() != null || last.userEpsilon() != null) {
                Map<String, Object> privacy = new LinkedHashMap<>();
                privacy.put("epsilon", last.epsilon());
                privacy.put("user_epsilon", last.userEpsilon());
                privacy.put("delta", plan.config().delta());
                privacy.put("conversion", "classic");
                s.put("privacy", privacy);
            }
        }
        if (plan.config().attack() != null) {
            // Which clients lied, so that a figure can name them.
            s.put("malicious", plan.config().maliciousClients());
        }
        s.put("config", plan.config().toSettings());
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
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("peak_heap_bytes", PeakMemory.heapBytes());
        memory.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        memory.put("peak_resident_bytes", PeakMemory.residentBytes());
        s.put("memory", memory);
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

    @SuppressWarnings("unchecked")
    private void writeReport(Map<String, Object> summary) {
        String scheme = plan.config().scheme().id();
        HtmlReport html = new HtmlReport("splitfed " + scheme + " on " + plan.config().dataset());
        Map<String, Object> result = new LinkedHashMap<>();
        for (String key : List.of("rounds_completed", "final_test_accuracy", "best_test_accuracy", "final_top3_accuracy",
                "final_perplexity", "final_test_loss",
                "seconds_per_round", "bytes_up_total", "bytes_down_total", "predicted_bytes_total")) {
            if (summary.containsKey(key)) {
                result.put(key, summary.get(key));
            }
        }
        html.heading("Result").keyValues(result);
        html.heading("Charts");
        List<String> classNames = plan.data().train().classNames();
        try {
            Map<String, List<RoundMetrics>> run = Map.of(scheme, rounds);
            html.image("test accuracy by round", Charts.accuracyByRound(run));
            html.image("loss by round", Charts.lossByRound(rounds));
            if (rounds.stream().anyMatch(m -> m.bytes() > 0)) {
                html.image("test accuracy by cumulative bytes", Charts.accuracyByBytes(run));
            }
            if (!manyClasses()) {
                html.image("class histogram", Charts.classHistogram(plan.histogram(), classNames));
            }
        } catch (RuntimeException | LinkageError | InternalError e) {
            // Java2D needs fontconfig and a font; without them the rest of the report still helps.
            html.paragraph("The charts could not be drawn (" + e + "); install fontconfig and fonts-dejavu-core.");
        }
        boolean words = rounds.stream().allMatch(m -> m.top3Accuracy() != null);
        List<String> columns = new ArrayList<>(List.of("round", "clients", "test accuracy"));
        if (words) {
            columns.addAll(List.of("top-3 accuracy", "perplexity"));
        }
        columns.addAll(List.of("test loss", "train loss", "seconds", "bytes up", "bytes down", "predicted bytes"));
        html.heading("Rounds").table(columns, rounds.stream().map(m -> {
            List<Object> row = new ArrayList<>(List.of(m.round(), m.clients(), m.testAccuracy()));
            if (words) {
                row.addAll(List.of(m.top3Accuracy(), m.perplexity()));
            }
            row.addAll(List.of(m.testLoss(), m.trainLoss(), m.seconds(), m.bytesUp(), m.bytesDown(), m.predictedBytes()));
            return (List<?>) row;
        }).toList());
        html.heading("Configuration").keyValues((Map<String, Object>) summary.get("config"));
        html.heading("Model").keyValues((Map<String, Object>) summary.get("model"));
        html.heading("Data").keyValues((Map<String, Object>) summary.get("data"));
        int[][] counts = plan.histogram().counts();
        int shown = Math.min(counts.length, Charts.MAX_HISTOGRAM_CLIENTS);
        List<String> header = new ArrayList<>(List.of("client", "samples"));
        if (manyClasses()) {
            header.add("distinct classes");
        } else {
            header.addAll(classNames);
        }
        List<List<?>> rows = new ArrayList<>();
        for (int k = 0; k < shown; k++) {
            List<Object> row = new ArrayList<>(List.of(k, plan.histogram().samples(k)));
            if (manyClasses()) {
                row.add(plan.histogram().distinctClasses(k));
            } else {
                for (int c : counts[k]) {
                    row.add(c);
                }
            }
            rows.add(row);
        }
        html.heading("Partition: " + partitionSpec() + (shown < counts.length
                ? " (first " + shown + " of " + counts.length + " clients)" : "")).table(header, rows);
        html.heading("Provenance").keyValues(provenance);
        html.write(reportFile());
    }

    private String partitionSpec() {
        return plan.config().scheme() == Scheme.CENTRAL ? "all (central)" : plan.config().partition();
    }

    private Map<String, Object> partitionRecord() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spec", partitionSpec());
        p.put("clients", plan.partition().length);
        if (manyClasses()) {
            // A vocabulary's worth of counts per client would dwarf the rest of the summary.
            p.put("samples", IntStream.range(0, plan.partition().length).map(k -> plan.partition()[k].length).toArray());
        } else {
            p.put("class_histogram", plan.histogram().counts());
        }
        return p;
    }

    private boolean manyClasses() {
        return plan.data().train().numClasses() > ClassHistogram.MAX_CLASS_COLUMNS;
    }
}
