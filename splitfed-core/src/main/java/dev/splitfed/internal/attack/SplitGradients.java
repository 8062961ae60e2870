package dev.splitfed.internal.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.splitfed.data.Dataset;
import dev.splitfed.internal.engine.Shapes;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.model.Architecture;
import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.internal.train.CrossEntropy;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The gradients a main server sees crossing the split for given samples with their true labels,
 * computed from a model in architecture order as a training step would compute them: at the cut
 * (the gradient the main server returns to the client, which it computes itself) and, with private
 * labels, at the middle's output (the gradient the client sends it).
 *
 * <p>Batches of {@code batchSize} samples with the batch-mean loss, as in training; the layers are
 * per-sample, so each row depends on its own sample only (the 1/batch factor does not change a
 * direction). Layers run in training mode, as they do when the server sees these gradients.
 *
 * @param cut one row per sample: d loss / d smashed data, flattened
 * @param middle one row per sample: d loss / d middle output, flattened; null with shared labels
 */
public record SplitGradients(float[][] cut, float[][] middle) {

    /**
     * Computes the gradients.
     *
     * @param architecture the network
     * @param layout where it is split and whether the client keeps the head
     * @param weights the whole model in architecture order
     * @param data where the samples come from
     * @param indices the samples
     * @param batchSize samples per batch, {@code >= 1}
     * @return the gradients, one row per index in order
     */
    public static SplitGradients of(
            Architecture architecture, SplitLayout layout, float[] weights, Dataset data, int[] indices, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1");
        }
        int n = indices.length;
        float[][] cut = new float[n][];
        float[][] middle = layout.privateLabels() ? new float[n][] : null;
        int b = layout.bottomSize();
        int s = layout.serverSize();
        try (ModelPart bottom = ModelPart.create(architecture, 0, layout.cut(), Arrays.copyOfRange(weights, 0, b));
                ModelPart server = ModelPart.create(architecture, layout.cut(), layout.serverEnd(),
                        Arrays.copyOfRange(weights, b, b + s));
                ModelPart head = layout.privateLabels()
                        ? ModelPart.create(architecture, layout.serverEnd(), layout.stages(),
                                Arrays.copyOfRange(weights, b + s, weights.length))
                        : null) {
            float[] features = new float[batchSize * data.featureSize()];
            int[] labels = new int[batchSize];
            for (int from = 0; from < n; from += batchSize) {
                int to = Math.min(n, from + batchSize);
                int rows = to - from;
                data.gather(indices, from, to, features, labels);
                try (NDManager scope = bottom.manager().newSubManager();
                        Torch.GradScope recording = Torch.record()) {
                    NDArray x = scope.create(
                            FloatBuffer.wrap(features, 0, rows * data.featureSize()), Shapes.batch(rows, data.sampleShape()));
                    NDArray smashed = bottom.forward(x, true);
                    NDArray atServer = scope.create(smashed.toFloatArray(), smashed.getShape());
                    atServer.setRequiresGradient(true);
                    NDArray middleOut = server.forward(atServer, true);
                    NDArray out = middleOut;
                    NDArray atHead = null;
                    if (head != null) {
                        atHead = scope.create(middleOut.toFloatArray(), middleOut.getShape());
                        atHead.setRequiresGradient(true);
                        out = head.forward(atHead, true);
                    }
                    NDArray loss = CrossEntropy.mean(out, CrossEntropy.labels(scope, labels, rows));
                    Torch.backward(loss, scope.ones(loss.getShape()));
                    if (atHead != null) {
                        // The middle's backward needs the client's gradient, as on the main server.
                        try (NDArray g = atHead.getGradient()) {
                            split(g.toFloatArray(), rows, middle, from);
                            Torch.backward(middleOut, g);
                        }
                    }
                    try (NDArray g = atServer.getGradient()) {
                        split(g.toFloatArray(), rows, cut, from);
                    }
                }
            }
        }
        return new SplitGradients(cut, middle);
    }

    private static void split(float[] values, int rows, float[][] into, int from) {
        int width = values.length / rows;
        for (int r = 0; r < rows; r++) {
            into[from + r] = Arrays.copyOfRange(values, r * width, (r + 1) * width);
        }
    }
}
