package dev.splitfed.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

class CompareAndCostCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static void assertChart(BufferedImage image) {
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(800);
        assertThat(image.getHeight()).isEqualTo(450);
        int first = image.getRGB(0, 0);
        boolean varied = false;
        for (int y = 0; y < image.getHeight() && !varied; y += 7) {
            for (int x = 0; x < image.getWidth() && !varied; x += 7) {
                varied = image.getRGB(x, y) != first;
            }
        }
        assertThat(varied).as("the chart is not blank").isTrue();
    }

    @Test
    @Tag("long")
    void compareRunsEverySchemeOnIdenticalTermsAndWritesTheTableAndCharts() throws IOException {
        Path out = tmp.resolve("cmp");
        SimulateCommandTest.Outcome o = SimulateCommandTest.run("compare", "--schemes", "fl,sflv1,sl",
                "--dataset", "fashion-mnist-sample", "--limit", "600", "--clients", "3", "--rounds", "2",
                "--threads", "1", "--quiet", "--target", "0.2", "--out", out.toString());
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.out()).contains("| scheme | final acc |").contains("| fl |").contains("| sflv1 |").contains("| sl |");
        JsonNode json = JSON.readTree(out.resolve("compare.json").toFile());
        JsonNode rows = json.get("rows");
        assertThat(rows).hasSize(3);
        // The schemes' own run records agree with the table, and sflv1 reproduces fl.
        for (JsonNode row : rows) {
            JsonNode summary = JSON.readTree(out.resolve(row.get("scheme").asText()).resolve("summary.json").toFile());
            assertThat(row.get("final_accuracy").asDouble()).isEqualTo(summary.get("final_test_accuracy").asDouble());
            assertThat(row.get("total_bytes").asLong())
                    .isEqualTo(summary.get("bytes_up_total").asLong() + summary.get("bytes_down_total").asLong());
        }
        assertThat(rows.get(1).get("final_accuracy").asDouble()).isEqualTo(rows.get(0).get("final_accuracy").asDouble());
        assertThat(json.get("config").get("schemes")).hasSize(3);
        assertThat(Files.readString(out.resolve("compare.md"))).contains("| sflv1 |");
        assertChart(ImageIO.read(out.resolve("accuracy_by_round.png").toFile()));
        assertChart(ImageIO.read(out.resolve("accuracy_by_bytes.png").toFile()));
        assertThat(out.resolve("sl").resolve("report.html")).exists();
    }

    @Test
    void reportIsSelfContainedWithChartsAndTheRoundTable() throws IOException {
        Path out = tmp.resolve("run");
        SimulateCommandTest.Outcome o = SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample",
                "--limit", "600", "--clients", "3", "--rounds", "2", "--threads", "1", "--quiet", "--out", out.toString());
        assertThat(o.status()).as(o.err()).isZero();
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain("src=\"/");
        Matcher images = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        int count = 0;
        while (images.find()) {
            assertChart(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(images.group(1)))));
            count++;
        }
        assertThat(count).as("accuracy, loss, bytes and histogram charts").isEqualTo(4);
        assertThat(html).contains("<h2>Rounds</h2>").contains("<td>1</td><td>3</td>").contains("<td>2</td><td>3</td>")
                .contains("<h2>Configuration</h2>").contains("<th>partition</th><td>iid</td>");
    }

    @Test
    void costPrintsTheHandComputedBytes() {
        SimulateCommandTest.Outcome o = SimulateCommandTest.run(
                "cost", "--dataset", "fashion-mnist-sample", "--clients", "5", "--rate", "100Mbit/s", "--compute-seconds", "2");
        assertThat(o.status()).as(o.err()).isZero();
        // 6000 samples / 5 = 1200 per client; q = 1176; |W_C| = 156; |W| = 61,706.
        // sflv1 up = 4 * (1200 * 1176 + 156) + 4 * 1200 = 5,650,224; down = 5,645,424; total 11,295,648.
        String sflv1 = o.out().lines().filter(l -> l.startsWith("sflv1")).findFirst().orElseThrow();
        assertThat(sflv1).contains("5.650 MB").contains("5.645 MB").contains("11.296 MB").contains("56.478 MB");
        // fl: 4 * 61,706 = 246,824 each way; wire 2 * 246,824 * 8 / 1e8 = 0.04 s; plus 2 s of compute.
        String fl = o.out().lines().filter(l -> l.startsWith("fl ")).findFirst().orElseThrow();
        assertThat(fl).contains("246.824 kB").contains("493.648 kB").contains("0.04").contains("2.04");
        // sl's clients transfer one after another: 5 * 11,295,648 * 8 / 1e8 = 4.52 s.
        String sl = o.out().lines().filter(l -> l.startsWith("sl ")).findFirst().orElseThrow();
        assertThat(sl).contains("4.52");
        assertThat(o.out()).contains("|W| = 61,706, |W_C| = 156");
    }

    @Test
    void costCountsTheCodecsBytes() {
        SimulateCommandTest.Outcome o = SimulateCommandTest.run(
                "cost", "--dataset", "fashion-mnist-sample", "--clients", "5", "--compress", "none,int8");
        assertThat(o.status()).as(o.err()).isZero();
        // 1200 samples per client = 18 batches of 64 and one of 48. int8 adds 8 bytes per block of 2048 values:
        // 64 * 1176 = 75,264 values -> 75,560 B; 48 * 1176 = 56,448 -> 56,672 B; one epoch 1,416,752 B each way.
        // up = 1,416,752 + (156 + 8) + 4 * 1200 labels = 1,421,716; down = 1,416,752 + 4 * 156 = 1,417,376.
        String int8 = o.out().lines().filter(l -> l.matches("sflv1 +int8 .*")).findFirst().orElseThrow();
        assertThat(int8).contains("1.422 MB").contains("1.417 MB").contains("2.839 MB").contains("14.195 MB")
                .contains("3.98x");
        String none = o.out().lines().filter(l -> l.matches("sflv1 +none .*")).findFirst().orElseThrow();
        assertThat(none).contains("11.296 MB").contains("1.00x");
        assertThat(SimulateCommandTest.run("cost", "--dataset", "fashion-mnist-sample", "--compress", "int4").err())
                .contains("compression 'int4' is not one of none, fp16, int8, topk:RATIO");
    }

    @Test
    void privacyBudgetPrintsEpsilonAlone() {
        // TensorFlow Privacy's MNIST tutorial: q = 256/60000, sigma = 1.1, 60 epochs, delta = 1e-5 -> 3.01.
        SimulateCommandTest.Outcome o = SimulateCommandTest.run("privacy-budget", "--sample-rate", Double.toString(256.0 / 60000),
                "--noise", "1.1", "--steps", Integer.toString(60 * 60000 / 256), "--delta", "1e-5");
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.out().strip()).isEqualTo("3.0091");
        SimulateCommandTest.Outcome tight = SimulateCommandTest.run("privacy-budget", "--sample-rate", "0.01",
                "--noise", "4", "--steps", "10000", "--conversion", "balle2020");
        assertThat(Double.parseDouble(tight.out().strip())).isLessThan(1.26);
        SimulateCommandTest.Outcome bad = SimulateCommandTest.run("privacy-budget", "--sample-rate", "2", "--noise", "1", "--steps", "5");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("sample rate must be in (0, 1], got 2.0");
    }

    @Test
    void costRefusesABadRate() {
        SimulateCommandTest.Outcome o = SimulateCommandTest.run("cost", "--dataset", "fashion-mnist-sample", "--rate", "fast");
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("'fast' is not a link rate");
    }

    @Test
    void everyOptionOfEveryCommandHasAnExampleAndHelpShowsDefaults() {
        CommandLine root = new CommandLine(new SplitfedCommand());
        List<CommandLine> commands = new java.util.ArrayList<>(root.getSubcommands().values());
        for (int i = 0; i < commands.size(); i++) {
            CommandLine sub = commands.get(i);
            if (sub.getCommandName().equals("generate-completion")) {
                continue; // picocli's own command, which writes the completion script
            }
            if (!sub.getSubcommands().isEmpty()) {
                // A parent such as attack: its leaves carry the options.
                commands.addAll(sub.getSubcommands().values());
                assertThat(sub.getUsageMessage()).as(sub.getCommandName()).contains("Example");
                continue;
            }
            CommandSpec spec = sub.getCommandSpec();
            for (OptionSpec option : spec.options()) {
                if (option.usageHelp() || option.versionHelp() || option.longestName().equals("--quiet")) {
                    continue;
                }
                assertThat(String.join(" ", option.description()))
                        .as(spec.name() + " " + option.longestName()).contains("Example: " + option.longestName());
            }
            String help = sub.getUsageMessage();
            assertThat(help).as(spec.name()).contains("Default:").contains("Example");
        }
        assertThat(root.getSubcommands().keySet())
                .containsExactlyInAnyOrder("simulate", "compare", "cost", "server", "client", "certs", "privacy-budget", "attack",
                        "predict", "generate-completion");
        assertThat(List.of(root.getUsageMessage())).anyMatch(h -> h.contains("splitfed compare"));
    }

    @Test
    void helpGroupsOptionsUnderHeadingsAndSummarisesEachCommandInOneSentence() {
        CommandLine root = new CommandLine(new SplitfedCommand());
        String simulate = root.getSubcommands().get("simulate").getUsageMessage(CommandLine.Help.Ansi.OFF);
        List<String> headings = List.of("Data:", "Model:", "Training:", "Federation:", "Privacy:", "Robustness:",
                "Heterogeneity:", "Compression:", "Output:", "Transport:");
        int last = -1;
        for (String heading : headings) {
            int at = simulate.indexOf("\n" + heading + "\n");
            assertThat(at).as(heading).isGreaterThan(last);
            last = at;
        }
        // Each option sits under its setting's heading: --dp-sgd after Privacy: and before Robustness:.
        assertThat(simulate.indexOf("--dp-sgd=SPEC")).isBetween(simulate.indexOf("\nPrivacy:"),
                simulate.indexOf("\nRobustness:"));
        assertThat(simulate).contains("\nUsage: splitfed simulate [OPTIONS]\n");
        for (CommandLine sub : root.getSubcommands().values()) {
            if (sub.getCommandName().equals("generate-completion")) {
                continue;
            }
            String[] header = sub.getCommandSpec().usageMessage().header();
            assertThat(header).as(sub.getCommandName()).hasSize(1);
            assertThat(header[0]).as(sub.getCommandName()).matches("[A-Z][^.]*\\.");
            for (String line : sub.getCommandSpec().usageMessage().description()) {
                // Paragraphs are whole: picocli wraps them to the terminal, so none ends mid-sentence.
                assertThat(line.isEmpty() || line.startsWith("  ") || line.startsWith("Example") || line.endsWith(".") || line.endsWith(":")
                        || line.endsWith(")")).as(sub.getCommandName() + ": " + line).isTrue();
            }
        }
    }
}
