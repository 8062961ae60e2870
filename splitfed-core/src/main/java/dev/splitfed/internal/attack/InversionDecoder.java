package dev.splitfed.internal.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.splitfed.internal.engine.Shapes;
import dev.splitfed.internal.engine.Torch;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;

/**
 * A network that learns to map smashed data back to the inputs they came from: the model
 * inversion attack on split learning (He, Zhang and Lee 2019, "Model Inversion Attacks against
 * Collaborative Inference", the black-box "inverse network"), trained with Adam on the mean squared
 * error between its output and the true inputs of auxiliary samples.
 *
 * <p>When the smashed data are feature maps at half the input's height and width (LeNet-5 cut
 * after its first block), the decoder is convolutional: conv 3x3 to 64 channels, relu, conv 3x3 to
 * 4 x 32 channels rearranged into 32 channels at twice the height and width (a sub-pixel
 * convolution, Shi et al. 2016; DJL's PyTorch engine has no transposed convolution), relu, conv 3x3
 * to the input's channels. Otherwise it is an MLP
 * from the flattened smashed data: dense 512, relu, dense to the input's size. Initial weights come
 * from PyTorch's generator ({@code Torch.seed}). Close it when done.
 */
public final class InversionDecoder implements AutoCloseable {

    private static final int EVAL_BATCH = 500;
    private static final int UPSAMPLED = 32;

    private final NDManager manager;
    private final SequentialBlock block;
    private final ParameterStore store;
    private final int[] smashedShape;
    private final int[] inputShape;
    private final Shape outputShape;

    private InversionDecoder(int[] smashedShape, int[] inputShape) {
        this.smashedShape = smashedShape.clone();
        this.inputShape = inputShape.clone();
        this.manager = Torch.engine().newBaseManager();
        this.block = new SequentialBlock();
        if (convolutional(smashedShape, inputShape)) {
            int h = smashedShape[1];
            int w = smashedShape[2];
            block.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(64).build())
                    .add(Activation.reluBlock())
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                            .setFilters(4 * UPSAMPLED).build())
                    // Pixel shuffle (Shi et al. 2016): 4 channels of h x w become one of 2h x 2w.
                    .add(new LambdaBlock(list -> new NDList(list.singletonOrThrow()
                            .reshape(new Shape(-1, UPSAMPLED, 2, 2, h, w))
                            .transpose(0, 1, 4, 2, 5, 3)
                            .reshape(new Shape(-1, UPSAMPLED, 2 * h, 2 * w))), "pixel-shuffle"))
                    .add(Activation.reluBlock())
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                            .setFilters(inputShape[0]).build());
        } else {
            int features = 1;
            for (int d : inputShape) {
                features *= d;
            }
            block.add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(512).build())
                    .add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(features).build());
        }
        Shape in = Shapes.batch(1, smashedShape);
        block.initialize(manager, DataType.FLOAT32, in);
        this.outputShape = block.getOutputShapes(new Shape[] {in})[0];
        this.store = new ParameterStore(manager, false);
    }

    /**
     * Creates an untrained decoder.
     *
     * @param smashedShape one sample's smashed data shape
     * @param inputShape one sample's input shape
     * @return the decoder
     */
    public static InversionDecoder create(int[] smashedShape, int[] inputShape) {
        return new InversionDecoder(smashedShape, inputShape);
    }

    /** Returns whether the decoder is the convolutional one (feature maps at half the image size). */
    static boolean convolutional(int[] smashedShape, int[] inputShape) {
        return smashedShape.length == 3 && inputShape.length == 3
                && inputShape[1] == 2 * smashedShape[1] && inputShape[2] == 2 * smashedShape[2];
    }

    /**
     * Trains on pairs of smashed data and true inputs.
     *
     * @param smashed n samples' smashed data, sample after sample
     * @param inputs the same n samples' inputs
     * @param epochs passes over the pairs, {@code >= 1}
     * @param batchSize pairs per step, {@code >= 1}
     * @param learningRate Adam's learning rate
     * @param rng shuffles the pairs every epoch
     * @return the mean squared error over the last epoch
     */
    public double train(float[] smashed, float[] inputs, int epochs, int batchSize, float learningRate,
            UniformRandomProvider rng) {
        int q = size(smashedShape);
        int f = size(inputShape);
        int n = smashed.length / q;
        if (n < 1 || smashed.length != n * q || inputs.length != n * f) {
            throw new IllegalArgumentException("need n >= 1 pairs of " + q + " smashed and " + f + " input values");
        }
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build();
        List<Parameter> parameters = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            parameters.add(p.getValue());
        }
        int[] order = PermutationSampler.natural(n);
        float[] xb = new float[batchSize * q];
        float[] yb = new float[batchSize * f];
        double lossSum = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            PermutationSampler.shuffle(rng, order);
            lossSum = 0;
            for (int from = 0; from < n; from += batchSize) {
                int m = Math.min(batchSize, n - from);
                for (int i = 0; i < m; i++) {
                    System.arraycopy(smashed, order[from + i] * q, xb, i * q, q);
                    System.arraycopy(inputs, order[from + i] * f, yb, i * f, f);
                }
                try (NDManager scope = manager.newSubManager(); Torch.GradScope recording = Torch.record()) {
                    NDArray x = scope.create(FloatBuffer.wrap(xb, 0, m * q), Shapes.batch(m, smashedShape));
                    NDArray y = scope.create(FloatBuffer.wrap(yb, 0, m * f), batchOf(m));
                    NDArray loss = block.forward(store, new NDList(x), true).singletonOrThrow().sub(y).square().mean();
                    Torch.backward(loss, scope.ones(loss.getShape()));
                    for (Parameter p : parameters) {
                        try (NDArray grad = p.getArray().getGradient()) {
                            adam.update(p.getId(), p.getArray(), grad);
                        }
                    }
                    lossSum += loss.getFloat() * (double) m;
                }
            }
        }
        return lossSum / n;
    }

    /**
     * Returns the decoder's reconstructions.
     *
     * @param smashed n samples' smashed data
     * @return n reconstructed inputs, sample after sample
     */
    public float[] reconstruct(float[] smashed) {
        int q = size(smashedShape);
        int f = size(inputShape);
        int n = smashed.length / q;
        float[] out = new float[n * f];
        try (Torch.GradScope paused = Torch.pause()) {
            for (int from = 0; from < n; from += EVAL_BATCH) {
                int m = Math.min(EVAL_BATCH, n - from);
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.create(FloatBuffer.wrap(smashed, from * q, m * q), Shapes.batch(m, smashedShape));
                    float[] values = block.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
                    System.arraycopy(values, 0, out, from * f, m * f);
                }
            }
        }
        return out;
    }

    private Shape batchOf(int m) {
        long[] dims = outputShape.getShape().clone();
        dims[0] = m;
        return new Shape(dims);
    }

    private static int size(int[] shape) {
        int s = 1;
        for (int d : shape) {
            s *= d;
        }
        return s;
    }

    @Override
    public void close() {
        manager.close();
    }
}
