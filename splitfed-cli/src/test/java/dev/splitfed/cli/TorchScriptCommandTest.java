package dev.splitfed.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitfed.cli.SimulateCommandTest.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --model torchscript:DIR} on the command line: a run, and each refusal as exit status 2 and one sentence. */
class TorchScriptCommandTest {

    private static final Path STAGES = Path.of("../splitfed-core/src/test/resources/torchscript");

    @TempDir
    Path tmp;

    @Test
    void trainsAnExportedLeNet5CutAtTheCommandLinesCut() throws IOException {
        Path out = tmp.resolve("run");
        Outcome run = SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample", "--model",
                "torchscript:" + STAGES.resolve("lenet5"), "--cut", "2", "--limit", "300", "--clients", "2",
                "--rounds", "1", "--threads", "1", "--quiet", "--out", out.toString());
        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        JsonNode round = new ObjectMapper().readTree(Files.readAllLines(out.resolve("metrics.jsonl")).get(0));
        assertThat(round.get("clients").asInt()).isEqualTo(2);
        assertThat(Files.readString(out.resolve("config.yaml"))).contains("model: \"torchscript:" + STAGES.resolve("lenet5"));
    }

    @Test
    void refusesAMissingDirectoryAGapAndAStageThatDoesNotFitWithStatusTwo() throws IOException {
        Outcome missing = SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample", "--model",
                "torchscript:" + tmp.resolve("none"), "--rounds", "1", "--quiet", "--out", tmp.resolve("a").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("splitfed: model directory " + tmp.resolve("none") + " does not exist; "
                + "export the model with tools/export_torchscript.py, which writes stage0.pt, stage1.pt, ... there."
                + System.lineSeparator());

        Path gap = Files.createDirectories(tmp.resolve("gap"));
        Files.copy(STAGES.resolve("lenet5/stage0.pt"), gap.resolve("stage0.pt"));
        Files.copy(STAGES.resolve("lenet5/stage2.pt"), gap.resolve("stage2.pt"));
        Outcome holes = SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample", "--model",
                "torchscript:" + gap, "--rounds", "1", "--quiet", "--out", tmp.resolve("b").toString());
        assertThat(holes.status()).isEqualTo(2);
        assertThat(holes.err()).isEqualTo("splitfed: model directory " + gap + " lacks stage1.pt: stages must be "
                + "numbered from 0 without gaps, and it holds stage2.pt." + System.lineSeparator());

        Path misfit = Files.createDirectories(tmp.resolve("misfit"));
        Files.copy(STAGES.resolve("lenet5/stage0.pt"), misfit.resolve("stage0.pt"));
        Files.copy(STAGES.resolve("lenet5/stage3.pt"), misfit.resolve("stage1.pt"));
        Outcome shapes = SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample", "--model",
                "torchscript:" + misfit, "--rounds", "1", "--quiet", "--out", tmp.resolve("c").toString());
        assertThat(shapes.status()).isEqualTo(2);
        assertThat(shapes.err()).startsWith("splitfed: stage1.pt in " + misfit
                + " does not accept stage0.pt's output of shape [6, 14, 14]: ");
        assertThat(shapes.err().strip().lines()).hasSize(1);

        // The exported LeNet-5 scores 10 classes; breast-cancer's records have 30 features, not images.
        Outcome data = SimulateCommandTest.run("simulate", "--dataset", "breast-cancer", "--model",
                "torchscript:" + STAGES.resolve("lenet5"), "--rounds", "1", "--quiet", "--out", tmp.resolve("d").toString());
        assertThat(data.status()).isEqualTo(2);
        assertThat(data.err()).startsWith("splitfed: stage0.pt in ").contains("does not accept a sample of shape [30]");
        assertThat(data.err().strip().lines()).hasSize(1);
        assertThat(List.of(missing, holes, shapes, data)).allSatisfy(o -> assertThat(o.out()).doesNotContain("Exception"));
    }
}
