package dev.splitfed.model;

import dev.splitfed.internal.digest.Sha256;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.engine.Shapes;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.internal.model.TorchScriptStage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A PyTorch model brought as TorchScript stages: a directory holding {@code stage0.pt},
 * {@code stage1.pt}, …, consecutive modules each taking the previous one's output, the last giving
 * the logits; {@code tools/export_torchscript.py} writes them from an {@code nn.Sequential}. The
 * cut falls between stages as for any other {@link Architecture}; the files' weights are where
 * training starts ({@link #carriesWeights()}), so a user's initialisation or pretrained weights
 * carry over.
 *
 * <p>Loading checks that the stages fit: each accepts the previous stage's output, and the last
 * gives one value per class. A TorchScript file is code that PyTorch runs: load only files from
 * someone you trust (a deployed client loads only the stages its mutually authenticated server
 * sends).
 */
public final class TorchScriptModel implements Architecture {

    /** The model's name on the command line, before the colon and the directory. */
    public static final String NAME = "torchscript";

    /** The most stages a model may have. */
    public static final int MAX_STAGES = 64;

    private static final Pattern STAGE = Pattern.compile("stage(\\d+)\\.pt");

    private final Path dir;
    private final List<Path> files;
    private final List<String> digests;
    private final int[] inputShape;
    private final int numClasses;
    private final List<int[]> stageInputs = new ArrayList<>();

    private TorchScriptModel(Path dir, List<Path> files, List<String> digests, int[] inputShape, int numClasses) {
        this.dir = dir;
        this.files = files;
        this.digests = digests;
        this.inputShape = inputShape.clone();
        this.numClasses = numClasses;
    }

    /**
     * Returns a deployed client's part of a model: the stages it trains, as the server sent them,
     * within a model of {@code stageInputs.size()} stages whose other stages stay on the main
     * server. Building a stage the client does not hold is refused.
     *
     * @param dir the directory holding the client's stage files
     * @param held the stages the client holds
     * @param stageInputs every stage's input shape for one sample, as the server computed them
     * @param numClasses the number of classes
     * @return the client's model
     * @throws InvalidInputException if a held stage's file is missing or its digest is not the given one
     */
    public static TorchScriptModel forClient(Path dir, java.util.Map<Integer, String> held, List<int[]> stageInputs,
            int numClasses) {
        List<Path> files = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        for (int i = 0; i < stageInputs.size(); i++) {
            String want = held.get(i);
            if (want == null) {
                files.add(null);
                digests.add(null);
                continue;
            }
            Path file = dir.resolve("stage" + i + ".pt");
            if (!Files.isRegularFile(file)) {
                throw new InvalidInputException("the model directory " + dir + " lacks stage" + i + ".pt, which this "
                        + "client trains");
            }
            String got = sha256(file);
            if (!got.equals(want)) {
                throw new InvalidInputException(file + " is not the server's stage" + i + ".pt (SHA-256 " + got
                        + ", the server's " + want + "); use the server's copy or let the client receive it");
            }
            files.add(file);
            digests.add(got);
        }
        TorchScriptModel model = new TorchScriptModel(dir, java.util.Collections.unmodifiableList(files),
                java.util.Collections.unmodifiableList(digests), stageInputs.get(0), numClasses);
        for (int[] shape : stageInputs) {
            model.stageInputs.add(shape.clone());
        }
        return model;
    }

    /**
     * Returns the shape of one sample at a stage's input.
     *
     * @param stage the stage
     * @return e.g. {@code {6, 14, 14}} for stage 1 of LeNet-5 on 28x28 images
     */
    public int[] stageInput(int stage) {
        return stageInputs.get(stage).clone();
    }

    /**
     * Loads the stages in a directory and checks that they fit each other and the data.
     *
     * @param dir the directory holding {@code stage0.pt}, {@code stage1.pt}, …
     * @param inputShape the shape of one sample, e.g. {@code {1, 28, 28}}
     * @param numClasses the number of classes the last stage must score
     * @return the model
     * @throws InvalidInputException if the directory holds no stages, a stage is missing, cannot be
     *     loaded or does not accept the previous stage's output, or the last stage's output does not
     *     have one value per class
     */
    public static TorchScriptModel load(Path dir, int[] inputShape, int numClasses) {
        List<Path> files = stageFiles(dir);
        List<String> digests = new ArrayList<>();
        for (Path file : files) {
            digests.add(sha256(file));
        }
        TorchScriptModel model = new TorchScriptModel(dir, List.copyOf(files), List.copyOf(digests), inputShape,
                numClasses);
        model.checkShapes();
        return model;
    }

    private static List<Path> stageFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("model directory " + dir + " does not exist; export the model with "
                    + "tools/export_torchscript.py, which writes stage0.pt, stage1.pt, ... there");
        }
        List<Integer> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.forEach(p -> {
                Matcher m = STAGE.matcher(p.getFileName().toString());
                if (m.matches() && m.group(1).length() <= 3) {
                    found.add(Integer.parseInt(m.group(1)));
                }
            });
        } catch (IOException e) {
            throw new InvalidInputException("cannot list model directory " + dir + ": " + e.getMessage());
        }
        found.sort(null);
        if (found.isEmpty()) {
            throw new InvalidInputException("model directory " + dir + " holds no stage0.pt; export the model with "
                    + "tools/export_torchscript.py");
        }
        for (int i = 0; i < found.size(); i++) {
            if (found.get(i) != i) {
                throw new InvalidInputException("model directory " + dir + " lacks stage" + i + ".pt: stages must be "
                        + "numbered from 0 without gaps, and it holds stage" + found.get(i) + ".pt");
            }
        }
        if (found.size() < 2) {
            throw new InvalidInputException("model directory " + dir + " holds one stage; a split needs at least two "
                    + "(stage0.pt and stage1.pt)");
        }
        if (found.size() > MAX_STAGES) {
            throw new InvalidInputException("model directory " + dir + " holds " + found.size() + " stages; at most "
                    + MAX_STAGES + " are supported");
        }
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            files.add(dir.resolve("stage" + i + ".pt"));
        }
        return files;
    }

    /** Runs one sample through the stages, one at a time, refusing the first that does not fit. */
    private void checkShapes() {
        try (NDManager manager = Torch.engine().newBaseManager(); Torch.GradScope paused = Torch.pause()) {
            Shape shape = Shapes.batch(1, inputShape);
            for (int i = 0; i < files.size(); i++) {
                long[] dims = shape.getShape();
                int[] sample = new int[dims.length - 1];
                for (int d = 1; d < dims.length; d++) {
                    sample[d - 1] = Math.toIntExact(dims[d]);
                }
                stageInputs.add(sample);
                TorchScriptStage stage = new TorchScriptStage(files.get(i));
                stage.initialize(manager, DataType.FLOAT32, shape);
                NDArray in = manager.zeros(shape);
                Shape out;
                try {
                    out = stage.forward(new ParameterStore(manager, false), new NDList(in), false)
                            .singletonOrThrow().getShape();
                } catch (RuntimeException e) {
                    String what = i == 0 ? "a sample of shape " + Arrays.toString(inputShape)
                            : "stage" + (i - 1) + ".pt's output of shape " + perSample(shape);
                    throw new InvalidInputException("stage" + i + ".pt in " + dir + " does not accept " + what + ": "
                            + TorchScriptStage.firstLine(e.getMessage()));
                }
                shape = out;
            }
            if (shape.dimension() != 2 || shape.get(1) != numClasses) {
                throw new InvalidInputException("the last stage, stage" + (files.size() - 1) + ".pt, gives "
                        + perSample(shape) + " values per sample, but the data set has " + numClasses
                        + " classes: its output must be one logit per class");
            }
        }
    }

    private static String perSample(Shape shape) {
        long[] dims = shape.getShape();
        return Arrays.toString(Arrays.copyOfRange(dims, 1, dims.length));
    }

    /**
     * Returns the hexadecimal SHA-256 of a file's bytes.
     *
     * @param file the file
     * @return 64 hexadecimal digits
     */
    public static String sha256(Path file) {
        try {
            return sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * Returns the hexadecimal SHA-256 of some bytes.
     *
     * @param bytes the bytes
     * @return 64 hexadecimal digits
     */
    public static String sha256(byte[] bytes) {
        return Sha256.hex(bytes);
    }

    /** Returns the directory the stages were loaded from. */
    public Path directory() {
        return dir;
    }

    /**
     * Returns a stage's file.
     *
     * @param stage the stage, {@code 0 <= stage < stages()}
     * @return {@code stageN.pt} in {@link #directory()}
     */
    public Path file(int stage) {
        return files.get(stage);
    }

    /**
     * Returns the SHA-256 of a stage's file as it was when the model was loaded.
     *
     * @param stage the stage
     * @return 64 hexadecimal digits
     */
    public String digest(int stage) {
        return digests.get(stage);
    }

    /**
     * Returns a stage's bytes, checked against the digest taken at load.
     *
     * @param stage the stage
     * @return the file's bytes
     * @throws InvalidInputException if the file changed since the model was loaded
     */
    public byte[] bytes(int stage) {
        try {
            byte[] bytes = Files.readAllBytes(files.get(stage));
            if (!sha256(bytes).equals(digests.get(stage))) {
                throw new InvalidInputException(files.get(stage) + " changed while the run was using it");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return NAME + ":" + dir;
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public int stages() {
        return files.size();
    }

    @Override
    public Block stage(int stage) {
        Path file = files.get(stage);
        if (file == null) {
            throw new IllegalStateException("stage " + stage + " is the main server's; this client does not hold it");
        }
        return new TorchScriptStage(file);
    }

    /** Returns true: the stage files hold the weights training starts from. */
    @Override
    public boolean carriesWeights() {
        return true;
    }
}
