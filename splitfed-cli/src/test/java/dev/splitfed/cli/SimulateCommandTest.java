package dev.splitfed.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.scheme.Setting;
import dev.splitfed.scheme.Settings;
import dev.splitfed.scheme.SimulationConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** The exit status and what went to each stream. */
    record Outcome(int status, String out, String err) {}

    static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(status, out.toString(), err.toString());
    }

    private List<String> quickRun(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "simulate", "--dataset", "fashion-mnist-sample", "--limit", "600", "--rounds", "2",
                "--clients", "3", "--threads", "1", "--quiet"));
        args.addAll(List.of(extra));
        return args;
    }

    static List<JsonNode> withoutTimings(Path metrics) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            ObjectNode row = (ObjectNode) JSON.readTree(line);
            row.remove("seconds");
            row.remove("eval_seconds");
            rows.add(row);
        }
        return rows;
    }

    @Test
    void sameSeedTwiceGivesIdenticalMetricsApartFromTimings() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        List<String> first = quickRun("--scheme", "sflv2", "--out", a.toString());
        List<String> second = quickRun("--scheme", "sflv2", "--out", b.toString());
        assertThat(run(first.toArray(String[]::new)).status()).isZero();
        assertThat(run(second.toArray(String[]::new)).status()).isZero();
        List<JsonNode> rowsA = withoutTimings(a.resolve("metrics.jsonl"));
        assertThat(rowsA).hasSize(2).isEqualTo(withoutTimings(b.resolve("metrics.jsonl")));
        JsonNode round2 = rowsA.get(1);
        for (String key : List.of("round", "scheme", "clients", "test_accuracy", "test_loss", "train_loss", "bytes_up", "bytes_down")) {
            assertThat(round2.has(key)).as(key).isTrue();
        }
        assertThat(round2.get("round").asInt()).isEqualTo(2);
        assertThat(round2.get("clients").asInt()).isEqualTo(3);
        assertThat(round2.get("test_accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(JSON.readTree(Files.readAllLines(a.resolve("metrics.jsonl")).get(0)).has("seconds")).isTrue();
    }

    @Test
    void summaryRecordsWhatIsNeededToReRun() throws IOException {
        Path dir = tmp.resolve("run");
        Outcome o = run(quickRun("--scheme", "fl", "--rounds", "1", "--out", dir.toString()).toArray(String[]::new));
        assertThat(o.status()).as(o.err()).isZero();
        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.get("rounds_completed").asInt()).isEqualTo(1);
        assertThat(summary.get("config").get("scheme").asText()).isEqualTo("fl");
        assertThat(summary.get("config").get("limit").asInt()).isEqualTo(600);
        assertThat(summary.get("seed").asLong()).isEqualTo(1);
        assertThat(summary.get("provenance").get("djl").asText()).isEqualTo("0.35.0");
        assertThat(summary.get("provenance").get("pytorch").asText()).isEqualTo("2.7.1");
        assertThat(summary.get("data").get("bundled_sample").asBoolean()).isTrue();
        assertThat(summary.get("partition").get("class_histogram")).hasSize(3);
        // config.yaml re-runs the same thing
        Path again = tmp.resolve("again");
        Outcome rerun = run("simulate", "--config", dir.resolve("config.yaml").toString(), "--quiet", "--out", again.toString());
        assertThat(rerun.status()).as(rerun.err()).isZero();
        assertThat(withoutTimings(again.resolve("metrics.jsonl"))).isEqualTo(withoutTimings(dir.resolve("metrics.jsonl")));
    }

    @Test
    void configFileIsReadAndFlagsOverrideIt() throws IOException {
        Path config = tmp.resolve("run.yaml");
        Files.writeString(config, "scheme: sl\nclients: 2\nrounds: 1\nlimit: 200\ndataset: fashion-mnist-sample\nthreads: 1\n");
        Path dir = tmp.resolve("cfg");
        Outcome o = run("simulate", "--config", config.toString(), "--clients", "4", "--quiet", "--out", dir.toString());
        assertThat(o.status()).as(o.err()).isZero();
        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.get("config").get("scheme").asText()).isEqualTo("sl");
        assertThat(summary.get("config").get("clients").asInt()).isEqualTo(4);
        assertThat(summary.get("config").get("rounds").asInt()).isEqualTo(1);
        assertThat(summary.get("partition").get("class_histogram")).hasSize(4);
    }

    @Test
    void defaultsOfTheCommandLineAreThoseOfTheCore() {
        CommandLine cmd = new CommandLine(new SimulateCommand());
        cmd.parseArgs();
        var spec = cmd.getCommandSpec();
        // Every setting is an option that holds nothing unless given: its default is the core's.
        for (Setting<?> s : Settings.ALL) {
            assertThat(spec.findOption("--" + s.key())).as(s.key()).isNotNull();
            assertThat((String) spec.findOption("--" + s.key()).getValue()).as(s.key()).isNull();
        }
        assertThat(SettingsOptions.config(spec, null).toSettings()).isEqualTo(SimulationConfig.builder().build().toSettings());
        assertThat(RunSettings.fromMap(java.util.Map.of()).optimizer().learningRate()).isEqualTo(0.01f);
        assertThat(RunSettings.fromMap(java.util.Map.of("dataset", "fortunes")).optimizer().learningRate()).isEqualTo(0.5f);
        assertThat(RunSettings.fromMap(java.util.Map.of("dataset", "fortunes", "optimizer", "adam")).optimizer()
                .learningRate()).isEqualTo(0.01f);
        assertThat(RunSettings.fromMap(java.util.Map.of("dataset", "fortunes")).partition()).isEqualTo("natural");
        assertThat(String.join(" ", spec.findOption("--lr").description()))
                .contains("Default: 0.5 for next-word with sgd, else 0.01.");
    }

    static void writeIdx(Path file, int magicType, int[] dims, byte[] data, int dataBytesToWrite) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length);
        header.put((byte) 0).put((byte) 0).put((byte) magicType).put((byte) dims.length);
        for (int d : dims) {
            header.putInt(d);
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(header.array());
            out.write(data, 0, dataBytesToWrite);
        }
    }

    private Path dataDir(boolean truncateImages) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(truncateImages ? "truncated" : "corrupt"));
        int n = 100;
        byte[] images = new byte[n * 784];
        byte[] labels = new byte[n];
        writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), 8, new int[] {n, 28, 28}, images,
                truncateImages ? 5000 : images.length);
        writeIdx(dir.resolve("train-labels-idx1-ubyte.gz"), 8, new int[] {n}, labels, n);
        writeIdx(dir.resolve("t10k-images-idx3-ubyte.gz"), 8, new int[] {n, 28, 28}, images, images.length);
        writeIdx(dir.resolve("t10k-labels-idx1-ubyte.gz"), 8, new int[] {n}, labels, n);
        if (!truncateImages) {
            ByteArrayOutputStream garbage = new ByteArrayOutputStream();
            garbage.write("this is not an IDX file at all".getBytes());
            Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), garbage.toByteArray());
        }
        return dir;
    }

    private static void assertOneSentenceExit2(Outcome o, String expected) {
        assertThat(o.status()).as(o.err()).isEqualTo(2);
        assertThat(o.err()).contains(expected);
        assertThat(o.err()).doesNotContain("Exception").doesNotContain("\tat ");
        List<String> lines = o.err().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines.size()).as(o.err()).isBetween(1, 2);
        assertThat(lines.get(0)).startsWith("splitfed: ").endsWith(".");
    }

    @Test
    void breastCancerTrainsAnMlpAcrossHospitals() throws IOException {
        Path dir = tmp.resolve("bc");
        Outcome o = run("simulate", "--dataset", "breast-cancer", "--scheme", "sflv2", "--clients", "3",
                "--rounds", "10", "--threads", "1", "--quiet", "--out", dir.toString());
        assertThat(o.status()).as(o.err()).isZero();
        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.get("model").get("name").asText()).isEqualTo("mlp");
        // 30 inputs -> 64 -> 32 -> 2: W_C = 30*64 + 64 = 1984, W_S = 64*32 + 32 + 32*2 + 2 = 2146
        assertThat(summary.get("model").get("client_parameters").asInt()).isEqualTo(1984);
        assertThat(summary.get("model").get("server_parameters").asInt()).isEqualTo(2146);
        assertThat(summary.get("data").get("train_samples").asInt() + summary.get("data").get("test_samples").asInt())
                .isEqualTo(569);
        // A linear model separates this set to about 0.95; ten rounds of the MLP get well past 0.9.
        assertThat(summary.get("final_test_accuracy").asDouble()).isGreaterThan(0.9);
    }

    @Test
    void unknownSchemeIsRefused() {
        assertOneSentenceExit2(run("simulate", "--scheme", "fedsgd"), "unknown scheme 'fedsgd'");
    }

    @Test
    void unknownPartitionIsRefused() {
        assertOneSentenceExit2(run(quickRun("--partition", "zipf:2").toArray(String[]::new)), "zipf:2");
    }

    @Test
    void moreClientsThanSamplesIsRefused() {
        assertOneSentenceExit2(
                run("simulate", "--dataset", "fashion-mnist-sample", "--limit", "10", "--clients", "11", "--quiet"),
                "11 clients");
    }

    @Test
    void cutOutOfRangeIsRefused() {
        assertOneSentenceExit2(run("simulate", "--dataset", "fashion-mnist-sample", "--cut", "5"), "cut 5 is out of range");
    }

    @Test
    void badNumbersAreRefused() {
        assertOneSentenceExit2(run("simulate", "--clients", "abc"), "--clients");
        assertOneSentenceExit2(run("simulate", "--dataset", "fashion-mnist-sample", "--fraction", "1.5"), "fraction");
        assertOneSentenceExit2(run("simulate", "--dataset", "fashion-mnist-sample", "--lr", "-1"), "lr");
    }

    @Test
    void corruptIdxFileIsRefused() throws IOException {
        assertOneSentenceExit2(run("simulate", "--data-dir", dataDir(false).toString()), "train-labels-idx1-ubyte.gz");
    }

    @Test
    void truncatedIdxFileIsRefused() throws IOException {
        assertOneSentenceExit2(run("simulate", "--data-dir", dataDir(true).toString()), "truncated");
    }

    @Test
    void missingDataDirectoryNamesTheWaysToGetTheData() {
        Outcome o = run("simulate", "--data-dir", tmp.resolve("nowhere").toString());
        assertOneSentenceExit2(o, "apt-get install dataset-fashion-mnist");
    }

    @Test
    void configKeyOfTheWrongTypeIsRefused() throws IOException {
        Path config = tmp.resolve("bad.yaml");
        Files.writeString(config, "clients: five\n");
        assertOneSentenceExit2(run("simulate", "--config", config.toString()), "key 'clients' must be a whole number");
    }

    @Test
    void missingConfigFileIsRefused() {
        assertOneSentenceExit2(run("simulate", "--config", tmp.resolve("none.yaml").toString()), "does not exist");
    }

    @Test
    void anOutDirectoryHoldingARunIsNotOverwritten() throws IOException {
        Path dir = tmp.resolve("taken");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("metrics.jsonl"), "{\"round\":1}\n");
        assertOneSentenceExit2(run(quickRun("--out", dir.toString()).toArray(String[]::new)), "already holds a run");
        assertThat(Files.readString(dir.resolve("metrics.jsonl"))).isEqualTo("{\"round\":1}\n");
        Path file = tmp.resolve("a-file");
        Files.writeString(file, "x");
        assertOneSentenceExit2(run(quickRun("--out", file.toString()).toArray(String[]::new)), "is a file");
    }

    @Test
    void divergenceIsReportedWithTheLearningRate() {
        for (String scheme : List.of("fl", "sflv1")) {
            Outcome o = run(quickRun("--scheme", scheme, "--lr", "1e6", "--out", tmp.resolve(scheme).toString())
                    .toArray(String[]::new));
            assertOneSentenceExit2(o, "training diverged");
            assertThat(o.err()).contains("--lr");
        }
    }

    @Test
    void unknownConfigKeyIsRefused() throws IOException {
        Path config = tmp.resolve("unknown.yaml");
        Files.writeString(config, "client: 5\n");
        assertOneSentenceExit2(run("simulate", "--config", config.toString()), "unknown key 'client'");
    }

    @Test
    void privateRunReportsEpsilonEveryRoundAndInTheSummary() throws IOException {
        Path out = tmp.resolve("dp");
        List<String> args = quickRun("--scheme", "sflv1", "--dp-sgd", "noise=1.1,clip=1", "--delta", "1e-4",
                "--out", out.toString());
        assertThat(run(args.toArray(String[]::new)).status()).isZero();
        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        // 600 samples over 3 clients: 200 each, q = 64 / 200, ceil(200 / 64) = 4 steps a round.
        dev.splitfed.internal.privacy.RdpAccountant expected = new dev.splitfed.internal.privacy.RdpAccountant(64 / 200.0, 1.1);
        for (String line : lines) {
            JsonNode row = JSON.readTree(line);
            expected.step(4);
            assertThat(row.get("epsilon").asDouble())
                    .isEqualTo(expected.epsilon(1e-4, dev.splitfed.internal.privacy.RdpAccountant.Conversion.CLASSIC));
            assertThat(row.has("user_epsilon")).isFalse();
        }
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.at("/privacy/epsilon").asDouble()).isEqualTo(JSON.readTree(lines.get(1)).get("epsilon").asDouble());
        assertThat(summary.at("/privacy/delta").asDouble()).isEqualTo(1e-4);
        assertThat(Files.readString(out.resolve("config.yaml"))).contains("dp-sgd: \"noise=1.1,clip=1.0,sampling=poisson\"");
    }

    @Test
    void badPrivacySettingsExitWithOneSentence() {
        assertOneSentenceExit2(run("simulate", "--dp-sgd", "noise=1.1"), "--dp-sgd 'noise=1.1' lacks clip=VALUE");
        assertOneSentenceExit2(run("simulate", "--dp-fedavg", "noise=1,clip=1", "--scheme", "sl"),
                "dp-fedavg protects what the fed server averages, so it needs fl, sflv1 or sflv2, not sl");
        assertOneSentenceExit2(run("simulate", "--delta", "2"), "delta must be in (0, 1), got 2.0");
    }
}
