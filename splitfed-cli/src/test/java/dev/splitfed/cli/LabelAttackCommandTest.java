package dev.splitfed.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.internal.attack.LabelInference;
import dev.splitfed.internal.attack.SplitGradients;
import dev.splitfed.data.Dataset;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.internal.random.Seeds;
import dev.splitfed.scheme.Checkpoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.rng.sampling.PermutationSampler;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LabelAttackCommandTest {

    @TempDir
    Path tmp;

    private static SimulateCommandTest.Outcome attack(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new LabelAttackCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int status = cmd.execute(args);
        return new SimulateCommandTest.Outcome(status, out.toString(), err.toString());
    }

    private Path tinyRun(String name, String labels) {
        Path dir = tmp.resolve(name);
        SimulateCommandTest.Outcome o = SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample",
                "--limit", "600", "--rounds", "1", "--clients", "3", "--threads", "1", "--quiet",
                "--labels", labels, "--out", dir.toString());
        assertThat(o.status()).as(o.err()).isZero();
        return dir;
    }

    /** Returns the attack's accuracy computed here, apart from the command, on the same victims. */
    private static double independently(Path run, LabelSharing labels, boolean middle, int samples) {
        Dataset test = DatasetCatalog.load("fashion-mnist-sample", null, Map.of()).test();
        Architecture arch = Architecture.create("lenet5", test.sampleShape(), 10);
        int[] victims = new PermutationSampler(Seeds.rng(1, "label-attack"), test.size(), samples).sample();
        int[] y = new int[samples];
        for (int i = 0; i < samples; i++) {
            y[i] = test.label(victims[i]);
        }
        SplitGradients g = SplitGradients.of(arch, SplitLayout.of(arch, 1, labels), Checkpoint.read(run).globalWeights(),
                test, victims, 64);
        return LabelInference.attack(middle ? g.middle() : g.cut(), y, 10, 1).accuracy();
    }

    private static double figure(String out, String rowStart) {
        String row = out.lines().filter(l -> l.startsWith(rowStart)).findFirst().orElseThrow();
        String[] parts = row.trim().split(" +");
        return Double.parseDouble(parts[parts.length - 1]);
    }

    @Test
    @Tag("long")
    void sharedLabelsGiveTheLabelsAwayAndTheCutGradientsNearlyAsMuch() {
        Path run = tinyRun("shared", "shared");
        SimulateCommandTest.Outcome o = attack("--run", run.toString(), "--samples", "300", "--threads", "1");
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.out()).contains("labels shared, checkpoint of round 1")
                .contains("labels (sent with the smashed data)").contains("1.0000 (by construction)")
                .doesNotContain("middle output");
        double cut = figure(o.out(), "gradients at the cut");
        assertThat(cut).isEqualTo(round4(independently(run, LabelSharing.SHARED, false, 300)));
        // 300 of the sample's 1000 test images: the chance level is the largest class's share, near 0.1.
        String chance = o.out().lines().filter(l -> l.startsWith("victims:")).findFirst().orElseThrow();
        assertThat(chance).contains("300 test samples");
        assertThat(cut).as("gradients alone reveal labels far above chance").isGreaterThan(0.5);
    }

    @Test
    @Tag("long")
    void privateLabelsAreNeverSentButTheMiddleOutputGradientsRevealThem() {
        Path run = tinyRun("private", "private");
        SimulateCommandTest.Outcome o = attack("--run", run.toString(), "--samples", "300", "--threads", "1");
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.out()).contains("labels private").contains("never sent");
        double middle = figure(o.out(), "gradients at the middle output");
        double cut = figure(o.out(), "gradients at the cut");
        assertThat(middle).isEqualTo(round4(independently(run, LabelSharing.PRIVATE, true, 300)));
        assertThat(cut).isEqualTo(round4(independently(run, LabelSharing.PRIVATE, false, 300)));
        assertThat(middle).isGreaterThan(0.5);
    }

    @Test
    void aBadDirectoryOrArgumentGetsOneSentenceAndStatusTwo() {
        SimulateCommandTest.Outcome none = attack("--run", tmp.resolve("nowhere").toString());
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).startsWith("splitfed: ").contains("holds no config.yaml").hasLineCount(1);
        Path fl = tmp.resolve("fl");
        assertThat(SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample", "--scheme", "fl", "--limit",
                "300", "--rounds", "1", "--clients", "2", "--threads", "1", "--quiet", "--out", fl.toString()).status())
                .isZero();
        SimulateCommandTest.Outcome flRun = attack("--run", fl.toString());
        assertThat(flRun.status()).isEqualTo(2);
        assertThat(flRun.err()).contains("is fl, which has no main server").hasLineCount(1);
        Path run = tinyRun("few", "shared");
        SimulateCommandTest.Outcome few = attack("--run", run.toString(), "--samples", "5");
        assertThat(few.status()).isEqualTo(2);
        assertThat(few.err()).isEqualTo("splitfed: samples must be in 10 to 1000 (at least one per class, at most the "
                + "test set), got 5." + System.lineSeparator());
        assertThat(attack("--run", run.toString(), "--samples", "many").status()).isEqualTo(2);
    }

    private static double round4(double x) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.4f", x));
    }
}
