package dev.splitfed.internal.report;

import dev.splitfed.report.RunRecorder;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.splitfed.scheme.RoundMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The side-by-side comparison of schemes trained on the same data, partition, seed and
 * hyper-parameters, as the SplitFed paper (Thapa et al. 2022) compares FL, SL, SFLV1 and SFLV2:
 * accuracy, rounds to a target accuracy, time and communication.
 */
public final class Comparison {

    /**
     * One scheme's line of the comparison.
     *
     * @param scheme the scheme's id
     * @param finalAccuracy test accuracy after the last round
     * @param bestAccuracy best test accuracy of any round
     * @param roundsToTarget the first round reaching the target accuracy, or null if none did
     * @param secondsPerRound mean training seconds per round
     * @param bytesPerClientPerRound mean payload bytes (up plus down) per participating client per round
     * @param totalBytes payload bytes over the whole run
     * @param predictedTotalBytes the cost model's bytes over the whole run
     * @param finalTop3Accuracy a next-word model's top-3 accuracy after the last round, else null
     * @param finalPerplexity a next-word model's perplexity after the last round, else null
     */
    public record Row(
            String scheme,
            double finalAccuracy,
            double bestAccuracy,
            Integer roundsToTarget,
            double secondsPerRound,
            double bytesPerClientPerRound,
            long totalBytes,
            long predictedTotalBytes,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double finalTop3Accuracy,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double finalPerplexity) {}

    private final List<Row> rows;
    private final Map<String, List<RoundMetrics>> runs;
    private final double target;

    /**
     * Compares finished runs.
     *
     * @param runs scheme id to that run's rounds, in the order to show them
     * @param target the test accuracy whose first round is reported
     */
    public Comparison(Map<String, List<RoundMetrics>> runs, double target) {
        this.runs = new LinkedHashMap<>(runs);
        this.target = target;
        this.rows = new ArrayList<>();
        runs.forEach((scheme, rounds) -> {
            if (rounds.isEmpty()) {
                throw new IllegalArgumentException("run " + scheme + " has no rounds");
            }
            Integer reached = null;
            for (RoundMetrics m : rounds) {
                if (m.testAccuracy() >= target) {
                    reached = m.round();
                    break;
                }
            }
            rows.add(new Row(
                    scheme,
                    rounds.get(rounds.size() - 1).testAccuracy(),
                    rounds.stream().mapToDouble(RoundMetrics::testAccuracy).max().orElseThrow(),
                    reached,
                    rounds.stream().mapToDouble(RoundMetrics::seconds).average().orElseThrow(),
                    rounds.stream().mapToDouble(m -> (double) m.bytes() / m.clients()).average().orElseThrow(),
                    rounds.stream().mapToLong(RoundMetrics::bytes).sum(),
                    rounds.stream().mapToLong(RoundMetrics::predictedBytes).sum(),
                    rounds.get(rounds.size() - 1).top3Accuracy(),
                    rounds.get(rounds.size() - 1).perplexity()));
        });
    }

    /** Returns one row per scheme. */
    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** Returns the comparison as a Markdown table (also what the terminal shows). */
    public String markdown() {
        StringBuilder out = new StringBuilder();
        boolean words = rows.stream().allMatch(r -> r.finalTop3Accuracy() != null);
        out.append(String.format(Locale.ROOT,
                "| scheme | final acc |%s best acc | rounds to %.3f | s/round | MB/client/round | total MB | predicted MB |%n",
                words ? " final top-3 | final perplexity |" : "", target));
        out.append("| --- | ---: |").append(words ? " ---: | ---: |" : "").append(" ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %.4f |%s %.4f | %s | %.2f | %.2f | %.2f | %.2f |%n",
                    r.scheme(), r.finalAccuracy(),
                    words ? String.format(Locale.ROOT, " %.4f | %.1f |", r.finalTop3Accuracy(), r.finalPerplexity()) : "",
                    r.bestAccuracy(),
                    r.roundsToTarget() == null ? "not reached" : r.roundsToTarget().toString(),
                    r.secondsPerRound(), r.bytesPerClientPerRound() / 1e6, r.totalBytes() / 1e6,
                    r.predictedTotalBytes() / 1e6));
        }
        return out.toString();
    }

    /**
     * Writes {@code compare.md}, {@code compare.json}, {@code accuracy_by_round.png} and
     * {@code accuracy_by_bytes.png} into {@code dir}.
     *
     * @param dir the out directory
     * @param config the settings all schemes shared
     * @param provenance versions and machine
     */
    public void write(Path dir, Map<String, Object> config, Map<String, Object> provenance) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("target_accuracy", target);
        json.put("rows", rows);
        json.put("config", config);
        json.put("provenance", provenance);
        try {
            Files.writeString(dir.resolve("compare.md"), "# splitfed compare\n\n" + markdown()
                    + "\nMB are 10^6 bytes of payload (float32 values, int32 labels), up plus down.\n"
                    + "![test accuracy by round](accuracy_by_round.png)\n"
                    + "![test accuracy by cumulative bytes](accuracy_by_bytes.png)\n", StandardCharsets.UTF_8);
            RunRecorder.JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("compare.json").toFile(), json);
            Files.write(dir.resolve("accuracy_by_round.png"), Charts.accuracyByRound(runs));
            Files.write(dir.resolve("accuracy_by_bytes.png"), Charts.accuracyByBytes(runs));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the comparison into " + dir, e);
        }
    }
}
