package dev.splitfed.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.cli.Main;
import dev.splitfed.scheme.Checkpoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntBiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MedianOfMeansByNameTest {

    @TempDir
    Path tmp;

    private record Outcome(int status, String out, String err) {}

    /** Runs the example with further options, capturing what it prints. */
    private static Outcome example(String... more) {
        return capture((out, err) -> MedianOfMeansByName.run(List.of(more), out, err));
    }

    /** Runs the example's command line with further options through the command line's own entry point. */
    private static Outcome splitfed(String... more) {
        List<String> args = new ArrayList<>(MedianOfMeansByName.COMMAND);
        args.addAll(List.of(more));
        return capture((out, err) -> Main.run(args.toArray(String[]::new), out, err));
    }

    private static Outcome capture(ToIntBiFunction<PrintWriter, PrintWriter> command) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            status = command.applyAsInt(o, e);
        }
        return new Outcome(status, out.toString(), err.toString());
    }

    private float[] weights(String aggregator) {
        Path dir = tmp.resolve(aggregator.replace(':', '-'));
        Outcome o = splitfed("--aggregator", aggregator, "--threads", "1", "--quiet", "--out", dir.toString());
        assertThat(o.status()).as(o.err()).isZero();
        return Checkpoint.read(dir).globalWeights();
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void theCommandLineRunsTheRuleItFindsByName() throws Exception {
        Path dir = tmp.resolve("run");
        Outcome o = example("--threads", "1", "--quiet", "--out", dir.toString());

        assertThat(o.status()).as(o.err()).isZero();
        assertThat(Files.readAllLines(dir.resolve("config.yaml"))).contains("aggregator: \"median-of-means:3\"");
        List<String> metrics = Files.readAllLines(dir.resolve("metrics.jsonl"));
        assertThat(metrics).hasSize(1);
        assertThat(metrics.get(0)).startsWith("{\"round\":1,\"scheme\":\"sflv1\",\"clients\":6,");
    }

    @Test
    void oneGroupIsFedAvgOverEqualClientsAndThreeGroupsAreNot() {
        // 600 samples over 6 iid clients: 100 each, so the unweighted mean of one group is FedAvg's weighted mean.
        float[] fedAvg = weights("fedavg");
        double one = maxAbsDifference(weights("median-of-means:1"), fedAvg);
        double three = maxAbsDifference(weights("median-of-means:3"), fedAvg);
        // Measured: 7.5e-9 (float rounding) and 3.3e-4 after one round.
        assertThat(one).isLessThanOrEqualTo(1e-6);
        assertThat(three).isGreaterThan(1e-4);
    }

    @Test
    void aBadGroupCountIsAUsageError() {
        Outcome o = example("--aggregator", "median-of-means:x", "--out", tmp.resolve("bad").toString());
        assertThat(o.status()).isEqualTo(Main.USAGE);
        assertThat(o.err()).contains("median-of-means:G needs a whole number of groups G >= 1, not 'x'");
    }
}
