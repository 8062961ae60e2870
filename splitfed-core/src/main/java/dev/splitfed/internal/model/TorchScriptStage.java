package dev.splitfed.internal.model;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.engine.Torch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One stage of a TorchScript model as a DJL block, so that a {@link ModelPart} holds it as it holds
 * any other stage: its parameters and running statistics are the block's parameters, in the flat
 * vector in that order.
 *
 * <p>The module is loaded when the block is initialised, into a sub-manager of the part's manager
 * that closes with it, with the engine option {@code trainParam} (without it PyTorch's parameters
 * are inference tensors that cannot be trained). Its parameters are PyTorch's own tensors, in
 * {@code named_parameters()} order; its running statistics are the tensors a stage exported with
 * {@code tools/export_torchscript.py} returns from {@code splitfed_buffers()} — not copies, so that
 * training moves them and {@link ModelPart#setWeights} writes them in place. A TorchScript module
 * loads in eval mode; the block switches it to train mode for a training forward and back.
 */
public final class TorchScriptStage extends AbstractBlock {

    /** The method a stage exported by splitfed's tool answers with its running statistics. */
    static final String BUFFERS = "splitfed_buffers";
    private static final String BUFFER_NAMES = "splitfed_buffer_names";
    private static final String NORM_NAMES = "splitfed_norm_names";

    private final Path file;
    private PtSymbolBlock module;
    private boolean training;

    /**
     * A stage to be loaded from a file when initialised.
     *
     * @param file the TorchScript file
     */
    public TorchScriptStage(Path file) {
        this.file = file;
    }

    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (module != null) {
            return;
        }
        Torch.engine();
        PtNDManager own = (PtNDManager) manager.newSubManager();
        try {
            module = JniUtils.loadModule(own, file, true, new String[0], new String[0], true);
        } catch (EngineException e) {
            own.close();
            throw new InvalidInputException(file + " is not a TorchScript module PyTorch can load: "
                    + firstLine(e.getMessage()));
        }
        training = false;
        Set<String> methods = new HashSet<>(Arrays.asList(JniUtils.getMethodNames(module)));
        Set<String> norms = methods.contains(NORM_NAMES) ? new HashSet<>(strings(NORM_NAMES)) : Set.of();
        for (NDArray array : JniUtils.moduleGetParams(module, own)) {
            String name = array.getName();
            Parameter.Type type = norms.contains(name)
                    ? (name.endsWith("bias") ? Parameter.Type.BETA : Parameter.Type.GAMMA)
                    : name.endsWith("bias") ? Parameter.Type.BIAS : Parameter.Type.WEIGHT;
            addParameter(Parameter.builder().setName(name).setType(type).optArray(array).build());
        }
        if (methods.contains(BUFFERS)) {
            List<String> names = strings(BUFFER_NAMES);
            try (IValue list = IValueUtils.runMethod(module, BUFFERS)) {
                PtNDArray[] buffers = list.toTensorArray(own);
                for (int i = 0; i < buffers.length; i++) {
                    String name = i < names.size() ? names.get(i) : "buffer" + i;
                    Parameter.Type type = name.endsWith("running_mean") ? Parameter.Type.RUNNING_MEAN
                            : name.endsWith("running_var") ? Parameter.Type.RUNNING_VAR : Parameter.Type.OTHER;
                    buffers[i].setName(name);
                    addParameter(Parameter.builder().setName(name).setType(type).optRequiresGrad(false)
                            .optArray(buffers[i]).build());
                }
            }
        }
        for (Parameter p : getDirectParameters().values()) {
            if (p.requiresGradient()) {
                p.getArray().setRequiresGradient(true);
            }
        }
        this.inputShapes = inputShapes;
    }

    private List<String> strings(String method) {
        List<String> out = new ArrayList<>();
        try (IValue list = IValueUtils.runMethod(module, method)) {
            for (IValue item : list.toIValueArray()) {
                out.add(item.toStringValue());
                item.close();
            }
        }
        return out;
    }

    /** Returns whether the module answers {@code splitfed_buffers()}, as splitfed's exporter writes it. */
    public boolean exportedBySplitfed() {
        return Arrays.asList(JniUtils.getMethodNames(loaded())).contains(BUFFERS);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        PtSymbolBlock m = loaded();
        if (this.training != training) {
            if (training) {
                JniUtils.enableTrainingMode(m);
            } else {
                JniUtils.enableInferenceMode(m);
            }
            this.training = training;
        }
        try {
            return m.forward(store, inputs, training);
        } finally {
            // The module switches its own mode to match a call; keep the two in step.
            this.training = training;
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        try (NDManager scratch = Torch.engine().newBaseManager()) {
            NDList in = new NDList();
            for (Shape shape : inputShapes) {
                in.add(scratch.zeros(shape));
            }
            try (Torch.GradScope paused = Torch.pause()) {
                NDList out = forwardInternal(new ParameterStore(scratch, false), in, false, null);
                return out.stream().map(NDArray::getShape).toArray(Shape[]::new);
            }
        }
    }

    private PtSymbolBlock loaded() {
        if (module == null) {
            throw new IllegalStateException(file + " is used before it is initialised");
        }
        return module;
    }

    @Override
    public String toString() {
        return "TorchScript(" + file.getFileName() + ")";
    }

    /**
     * Returns the line of a PyTorch error that says what went wrong, without its C++ trace.
     *
     * @param message the engine's message, or null
     * @return one line of at most 300 characters
     */
    public static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        for (String line : message.strip().split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("Exception raised from")) {
                return l.length() > 300 ? l.substring(0, 300) + "..." : l;
            }
        }
        return "unknown error";
    }
}
