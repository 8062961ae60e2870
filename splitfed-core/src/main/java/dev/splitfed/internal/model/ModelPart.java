package dev.splitfed.internal.model;

import dev.splitfed.model.Architecture;
import dev.splitfed.model.TorchScriptModel;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import dev.splitfed.internal.engine.Shapes;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.internal.random.Seeds;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * A contiguous range of an {@link Architecture}'s stages, live in the engine: the client-side part
 * {@code [0, cut)}, the server-side part {@code [cut, stages)}, or any other range.
 *
 * <p>Its parameters travel as one flat float32 vector whose layout is the parameters' order in
 * the block (layer by layer, weight before bias); {@link #weights()} and {@link #setWeights} convert.
 * The vector holds every parameter the block has, the trainable ones and those that are not: batch
 * normalisation's running mean and variance travel and are averaged with the weights, as averaging
 * PyTorch's {@code state_dict} does. Those get no gradient (zeros in {@link #gradients()}) and no
 * optimizer step; training-mode forward passes update them. A part owns native memory: close it
 * when done.
 */
public final class ModelPart implements Trainable {

    private static final NDIndex ALL = new NDIndex("...");

    private final NDManager manager;
    private final SequentialBlock block;
    private final ParameterStore store;
    private final List<Parameter> parameters;
    /** Per parameter: whether it is trained by gradient (false for running statistics). */
    private final boolean[] trainable;
    /**
     * Per parameter: its values in the engine's memory, read and written with one copy; null
     * where the engine handed out a copy instead (a tensor that is not contiguous).
     */
    private final FloatBuffer[] views;
    private final int[] outputShape;
    private final int size;

    private ModelPart(Architecture architecture, int from, int to, int[] inputShape) {
        if (from < 0 || to > architecture.stages() || from >= to) {
            throw new IllegalArgumentException(
                    "stage range [" + from + ", " + to + ") is not within [0, " + architecture.stages() + ")");
        }
        this.manager = Torch.engine().newBaseManager();
        this.block = new SequentialBlock();
        for (int s = from; s < to; s++) {
            block.add(architecture.stage(s));
        }
        // Real values are written by setWeights; zeros keep initialisation cheap and unrandom.
        block.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
        Shape input = Shapes.batch(1, inputShape);
        block.initialize(manager, DataType.FLOAT32, input);
        Shape out = block.getOutputShapes(new Shape[] {input})[0];
        this.outputShape = new int[out.dimension() - 1];
        for (int i = 1; i < out.dimension(); i++) {
            outputShape[i - 1] = (int) out.get(i);
        }
        this.store = new ParameterStore(manager, false);
        this.parameters = new ArrayList<>();
        int n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            parameters.add(p.getValue());
            n += Math.toIntExact(p.getValue().getArray().size());
        }
        this.size = n;
        this.trainable = new boolean[parameters.size()];
        this.views = new FloatBuffer[parameters.size()];
        for (int i = 0; i < trainable.length; i++) {
            trainable[i] = parameters.get(i).requiresGradient();
            views[i] = view(parameters.get(i).getArray());
        }
    }

    /**
     * Returns a float view of an array's own memory, or null if the engine gives a copy. Weights
     * are written in place and optimizers update in place, so the memory stays the array's for as
     * long as the part lives.
     */
    private static FloatBuffer view(NDArray array) {
        if (array.getDataType() != DataType.FLOAT32 || array.size() == 0) {
            return null;
        }
        FloatBuffer floats = array.toByteBuffer(true).asFloatBuffer();
        if (floats.capacity() != array.size()) {
            return null;
        }
        // A contiguous tensor's buffer aliases it; anything else is a copy. Tell them apart by a
        // write that the array must see.
        float old = floats.get(0);
        float probe = old == 1f ? 2f : 1f;
        floats.put(0, probe);
        long[] first = new long[array.getShape().dimension()];
        boolean aliased = array.getFloat(first) == probe;
        floats.put(0, old);
        return aliased ? floats : null;
    }

    /**
     * Builds stages {@code [from, to)} of {@code architecture} with all parameters zero.
     *
     * @param architecture the network
     * @param from first stage, inclusive
     * @param to last stage, exclusive
     * @return the new part
     */
    public static ModelPart create(Architecture architecture, int from, int to) {
        return new ModelPart(architecture, from, to, inputShapeOf(architecture, from));
    }

    /**
     * Builds stages {@code [from, to)} of {@code architecture} holding {@code weights}.
     *
     * @param architecture the network
     * @param from first stage, inclusive
     * @param to last stage, exclusive
     * @param weights the flat parameter vector
     * @return the new part
     */
    public static ModelPart create(Architecture architecture, int from, int to, float[] weights) {
        ModelPart part = create(architecture, from, to);
        try {
            part.setWeights(weights);
        } catch (RuntimeException e) {
            part.close();
            throw e;
        }
        return part;
    }

    private static int[] inputShapeOf(Architecture architecture, int stage) {
        int[] shape = architecture.inputShape();
        if (stage == 0) {
            return shape;
        }
        if (NoisyCut.unwrap(architecture) instanceof TorchScriptModel model) {
            // Known from loading; a deployed client does not hold the stages before its head.
            return model.stageInput(stage);
        }
        try (ModelPart before = new ModelPart(architecture, 0, stage, shape)) {
            return before.outputShape();
        }
    }

    @Override
    public int size() {
        return size;
    }

    /** Returns the shape of this part's output for one sample (the cut-layer shape). */
    public int[] outputShape() {
        return outputShape.clone();
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    /**
     * Runs the part forward.
     *
     * @param input a batch, first dimension the batch size
     * @param training whether layers behave as in training
     * @return the output batch
     */
    public NDArray forward(NDArray input, boolean training) {
        return block.forward(store, new NDList(input), training).singletonOrThrow();
    }

    @Override
    public float[] weights() {
        float[] out = new float[size];
        int offset = 0;
        for (int i = 0; i < views.length; i++) {
            NDArray array = parameters.get(i).getArray();
            int n = Math.toIntExact(array.size());
            if (views[i] != null) {
                views[i].get(0, out, offset, n);
            } else {
                System.arraycopy(array.toFloatArray(), 0, out, offset, n);
            }
            offset += n;
        }
        return out;
    }

    @Override
    public void setWeights(float[] weights) {
        if (weights.length != size) {
            throw new IllegalArgumentException(
                    "weight vector has " + weights.length + " values, this part needs " + size);
        }
        int offset = 0;
        // In place: the arrays keep their identity (they may alias another module's tensors) and
        // whether they require gradients; outside recording, so that a leaf may be written. New
        // weights start with no gradient, as when the arrays were replaced.
        try (Torch.GradScope paused = Torch.pause()) {
            for (int i = 0; i < trainable.length; i++) {
                NDArray array = parameters.get(i).getArray();
                int n = Math.toIntExact(array.size());
                if (views[i] != null) {
                    views[i].put(0, weights, offset, n);
                } else {
                    try (NDArray borrowed = manager.create(FloatBuffer.wrap(weights, offset, n), array.getShape())) {
                        array.set(ALL, borrowed);
                    }
                }
                if (trainable[i]) {
                    Torch.clearGradient(array);
                }
                offset += n;
            }
        }
    }

    /**
     * Returns which positions of the flat vector belong to batch-normalisation layers (parameters
     * of type gamma, beta, running mean and running variance): what FedBN keeps on each client.
     *
     * @return a mask of {@link #size()} entries
     */
    public boolean[] normalisationMask() {
        boolean[] out = new boolean[size];
        int offset = 0;
        for (Parameter p : parameters) {
            int n = Math.toIntExact(p.getArray().size());
            if (isNormalisation(p.getType())) {
                Arrays.fill(out, offset, offset + n, true);
            }
            offset += n;
        }
        return out;
    }

    private static boolean isNormalisation(Parameter.Type type) {
        return type == Parameter.Type.GAMMA || type == Parameter.Type.BETA
                || type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR;
    }

    /** Returns the gradients, zero for the parameters that are not trained by gradient. */
    @Override
    public float[] gradients() {
        float[] out = new float[size];
        int offset = 0;
        for (int i = 0; i < trainable.length; i++) {
            NDArray array = parameters.get(i).getArray();
            if (!trainable[i]) {
                offset += Math.toIntExact(array.size());
                continue;
            }
            try (NDArray grad = array.getGradient()) {
                float[] values = grad.toFloatArray();
                System.arraycopy(values, 0, out, offset, values.length);
            }
            offset += Math.toIntExact(array.size());
        }
        return out;
    }

    @Override
    public void step(Optimizer optimizer) {
        for (int i = 0; i < trainable.length; i++) {
            if (!trainable[i]) {
                continue;
            }
            Parameter p = parameters.get(i);
            NDArray array = p.getArray();
            try (NDArray grad = array.getGradient()) {
                optimizer.update(p.getId(), array, grad);
            }
        }
    }

    @Override
    public void clearGradients() {
        for (int i = 0; i < trainable.length; i++) {
            if (trainable[i]) {
                Torch.clearGradient(parameters.get(i).getArray());
            }
        }
    }

    @Override
    public void step(Optimizer optimizer, float[] gradient) {
        if (gradient.length != size) {
            throw new IllegalArgumentException("gradient has " + gradient.length + " values, this part needs " + size);
        }
        int offset = 0;
        for (int i = 0; i < trainable.length; i++) {
            Parameter p = parameters.get(i);
            NDArray array = p.getArray();
            int n = Math.toIntExact(array.size());
            if (trainable[i]) {
                try (NDArray grad = manager.create(FloatBuffer.wrap(gradient, offset, n), array.getShape())) {
                    optimizer.update(p.getId(), array, grad);
                }
            }
            offset += n;
        }
    }

    /**
     * Returns PyTorch's default initial weights for this part: every weight and bias drawn from
     * U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in being the inputs of the layer (He et al. 2015
     * with a = sqrt(5), as {@code torch.nn.Conv2d} and {@code torch.nn.Linear} initialise); batch
     * normalisation's scale 1, shift 0, running mean 0 and running variance 1, as
     * {@code torch.nn.BatchNorm2d} starts.
     *
     * @param seed the run seed
     * @param stream names this part's random stream, e.g. {@code "init-client"}
     * @return a flat vector of {@link #size()} values
     */
    public float[] defaultInitialWeights(long seed, String stream) {
        UniformRandomProvider rng = Seeds.rng(seed, stream);
        float[] out = new float[size];
        int offset = 0;
        long fanIn = 1;
        for (Parameter p : parameters) {
            Shape shape = p.getArray().getShape();
            int n = Math.toIntExact(shape.size());
            Parameter.Type type = p.getType();
            if (isNormalisation(type)) {
                float value = type == Parameter.Type.GAMMA || type == Parameter.Type.RUNNING_VAR ? 1f : 0f;
                Arrays.fill(out, offset, offset + n, value);
                offset += n;
                continue;
            }
            if (type == Parameter.Type.WEIGHT) {
                fanIn = shape.size() / shape.get(0);
            }
            double bound = 1.0 / Math.sqrt(fanIn);
            for (int i = 0; i < n; i++) {
                out[offset + i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
            }
            offset += n;
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
