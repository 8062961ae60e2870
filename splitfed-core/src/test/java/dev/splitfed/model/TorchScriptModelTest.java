package dev.splitfed.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.train.CrossEntropy;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TorchScript stages against what PyTorch computed with the same files ({@code make_fixtures.py}
 * in the test resources' {@code torchscript} folder).
 */
class TorchScriptModelTest {

    static Path fixture(String name) {
        try {
            return Path.of(TorchScriptModelTest.class.getResource("/torchscript/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static float[] floats(JsonNode node) {
        float[] out = new float[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) node.get(i).asDouble();
        }
        return out;
    }

    @Test
    @Tag("engine-parity")
    void smallBatchNormNetworkMatchesPyTorchInEvalTrainAndAfterAnSgdStep() throws IOException {
        JsonNode expected = new ObjectMapper().readTree(fixture("small_bn.json").toFile());
        TorchScriptModel model = TorchScriptModel.load(fixture("small_bn"), new int[] {1, 8, 8}, 3);
        assertThat(model.stages()).isEqualTo(3);
        assertThat(model.carriesWeights()).isTrue();
        // 44 + 8 statistics, 152 + 8 statistics, 15: parameters then running statistics per stage.
        int[] params = {44, 152, 15};
        int[] stats = {8, 8, 0};
        try (ModelPart part = ModelPart.create(model, 0, 3)) {
            assertThat(part.size()).isEqualTo(227);
            // What --local-bn keeps on a client: each BatchNorm's scale and shift (named by the export)
            // and its running statistics, 4 + 4 + 8 values in stage 0 and in stage 1; no convolution, no linear layer.
            boolean[] mask = part.normalisationMask();
            int kept = 0;
            for (int i = 0; i < mask.length; i++) {
                kept += mask[i] ? 1 : 0;
            }
            assertThat(kept).isEqualTo(32);
            assertThat(Arrays.copyOfRange(mask, 36, 52)).containsOnly(true);
            assertThat(Arrays.copyOfRange(mask, 0, 36)).containsOnly(false);
            assertThat(Arrays.copyOfRange(mask, 52 + 144, 52 + 160)).containsOnly(true);
            assertThat(Arrays.copyOfRange(mask, 212, 227)).containsOnly(false);
            float[] initial = part.weights();
            NDManager m = part.manager();
            try (NDManager batch = m.newSubManager()) {
                NDArray x = batch.create(floats(expected.get("input")), new Shape(4, 1, 8, 8));
                try (Torch.GradScope paused = Torch.pause()) {
                    assertThat(part.forward(x, false).toFloatArray())
                            .containsExactly(floats(expected.get("eval_logits")), within(1e-5f));
                }
                // Evaluation leaves the running statistics where they were.
                assertThat(part.weights()).containsExactly(initial);
                NDArray logits;
                try (Torch.GradScope recording = Torch.record()) {
                    logits = part.forward(x, true);
                    NDArray loss = CrossEntropy.mean(logits, CrossEntropy.labels(batch, new int[] {0, 1, 2, 0}, 4));
                    assertThat(loss.getFloat()).isCloseTo((float) expected.get("loss").asDouble(), within(1e-5f));
                    Torch.backward(loss, batch.ones(loss.getShape()));
                }
                assertThat(logits.toFloatArray()).containsExactly(floats(expected.get("train_logits")), within(1e-5f));
                float[] afterForward = part.weights();
                part.step(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build());
                float[] afterStep = part.weights();
                float[] wantStats = floats(expected.get("buffers_after_train_forward"));
                float[] wantParams = floats(expected.get("parameters_after_sgd_step"));
                int at = 0;
                int p = 0;
                int s = 0;
                for (int stage = 0; stage < 3; stage++) {
                    assertThat(Arrays.copyOfRange(afterStep, at, at + params[stage]))
                            .containsExactly(Arrays.copyOfRange(wantParams, p, p + params[stage]), within(1e-5f));
                    at += params[stage];
                    p += params[stage];
                    assertThat(Arrays.copyOfRange(afterForward, at, at + stats[stage]))
                            .containsExactly(Arrays.copyOfRange(wantStats, s, s + stats[stage]), within(1e-5f));
                    at += stats[stage];
                    s += stats[stage];
                }
                // The optimizer leaves the running statistics alone, and the gradient vector has zeros there.
                assertThat(Arrays.copyOfRange(afterStep, 44, 52)).containsExactly(Arrays.copyOfRange(afterForward, 44, 52));
            }
            // Weights written back land in the module itself: the first forward reproduces PyTorch's again.
            part.setWeights(initial);
            try (NDManager batch = m.newSubManager(); Torch.GradScope paused = Torch.pause()) {
                NDArray x = batch.create(floats(expected.get("input")), new Shape(4, 1, 8, 8));
                assertThat(part.forward(x, false).toFloatArray())
                        .containsExactly(floats(expected.get("eval_logits")), within(1e-5f));
            }
        }
    }

    @Test
    void aCutSplitsTheStagesAndTheWeightsComeFromTheFiles() {
        TorchScriptModel model = TorchScriptModel.load(fixture("lenet5"), new int[] {1, 28, 28}, 10);
        Architecture builtIn = Architecture.create("lenet5", new int[] {1, 28, 28}, 10);
        assertThat(model.stages()).isEqualTo(builtIn.stages());
        try (ModelPart client = ModelPart.create(model, 0, 2); ModelPart server = ModelPart.create(model, 2, 5);
                ModelPart c2 = ModelPart.create(builtIn, 0, 2); ModelPart s2 = ModelPart.create(builtIn, 2, 5)) {
            assertThat(client.size()).isEqualTo(156 + 2416).isEqualTo(c2.size());
            assertThat(server.size()).isEqualTo(48120 + 10164 + 850).isEqualTo(s2.size());
            assertThat(client.outputShape()).containsExactly(16, 5, 5);
            // Not zeros: PyTorch's initialisation, as the file holds it.
            float[] w = client.weights();
            assertThat(w[0]).isNotZero();
            try (ModelPart again = ModelPart.create(model, 0, 2)) {
                assertThat(again.weights()).containsExactly(w);
            }
        }
    }

    @Test
    void refusesMissingStagesGapsAndShapesThatDoNotFit(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> TorchScriptModel.load(dir.resolve("none"), new int[] {1, 8, 8}, 3))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> TorchScriptModel.load(dir, new int[] {1, 8, 8}, 3))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("holds no stage0.pt");
        Path gap = Files.createDirectories(dir.resolve("gap"));
        Files.copy(fixture("small_bn/stage0.pt"), gap.resolve("stage0.pt"));
        Files.copy(fixture("small_bn/stage2.pt"), gap.resolve("stage2.pt"));
        assertThatThrownBy(() -> TorchScriptModel.load(gap, new int[] {1, 8, 8}, 3))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("lacks stage1.pt");
        Path misfit = Files.createDirectories(dir.resolve("misfit"));
        Files.copy(fixture("small_bn/stage0.pt"), misfit.resolve("stage0.pt"));
        Files.copy(fixture("lenet5/stage3.pt"), misfit.resolve("stage1.pt"));
        assertThatThrownBy(() -> TorchScriptModel.load(misfit, new int[] {1, 8, 8}, 3))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("stage1.pt in " + misfit + " does not accept stage0.pt's output of shape [4, 4, 4]: ")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> TorchScriptModel.load(fixture("small_bn"), new int[] {1, 8, 8}, 10))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the last stage, stage2.pt, gives [3] values per sample, but the data set has 10 classes: "
                        + "its output must be one logit per class");
        Path junk = Files.createDirectories(dir.resolve("junk"));
        Files.writeString(junk.resolve("stage0.pt"), "not a model");
        Files.copy(fixture("small_bn/stage1.pt"), junk.resolve("stage1.pt"));
        assertThatThrownBy(() -> TorchScriptModel.load(junk, new int[] {1, 8, 8}, 3))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(junk.resolve("stage0.pt") + " is not a TorchScript module PyTorch can load: ")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> Architecture.create("torchscript", new int[] {1, 8, 8}, 3))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("torchscript:DIR");
    }
}
