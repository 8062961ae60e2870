package dev.splitfed.internal.data;

import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import dev.splitfed.InvalidInputException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads Fashion-MNIST (Xiao, Rasul &amp; Vollgraf 2017, arXiv:1708.07747) from its four IDX files.
 *
 * <p>Pixels become {@code (x / 255 - 0.2860) / 0.3530} in float32 steps (0.2860 and 0.3530 are the
 * mean and standard deviation of the scaled training pixels), exactly as the plain-PyTorch reference
 * of {@code bench/side-by-side.sh} does, so that both see the same numbers. Samples have shape
 * {@code {1, 28, 28}}.
 */
public final class FashionMnist {

    /** The data set's name in reports and on the command line. */
    public static final String NAME = "fashion-mnist";

    /** The ten official class names, in label order. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** File name of the 60,000 training images. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    /** File name of the 60,000 training labels. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    /** File name of the 10,000 test images. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    /** File name of the 10,000 test labels. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";

    /** The four file names, in the order train images, train labels, test images, test labels. */
    public static final List<String> FILE_NAMES =
            List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    /** Mean of the training pixels after scaling to [0, 1]. */
    public static final float PIXEL_MEAN = 0.2860f;
    /** Standard deviation of the training pixels after scaling to [0, 1]. */
    public static final float PIXEL_STD = 0.3530f;

    private static final int SIDE = 28;

    // 256 possible pixel values: normalise each once, in the same float32 steps as the reference.
    private static final float[] NORMALISED = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            NORMALISED[v] = (v / 255f - PIXEL_MEAN) / PIXEL_STD;
        }
    }

    private FashionMnist() {}

    /**
     * Loads the four files from a directory.
     *
     * @param dir a directory holding {@link #FILE_NAMES}
     * @return the 60,000 training and 10,000 test samples (or however many the files hold), with
     *     the directory as their source
     * @throws InvalidInputException if a file is missing or invalid
     */
    public static DataSplit load(Path dir) {
        Path trainImages = dir.resolve(TRAIN_IMAGES);
        Path trainLabels = dir.resolve(TRAIN_LABELS);
        Path testImages = dir.resolve(TEST_IMAGES);
        Path testLabels = dir.resolve(TEST_LABELS);
        Dataset train = toDataset(NAME,
                IdxReader.read(trainImages), trainImages.toString(),
                IdxReader.read(trainLabels), trainLabels.toString());
        Dataset test = toDataset(NAME,
                IdxReader.read(testImages), testImages.toString(),
                IdxReader.read(testLabels), testLabels.toString());
        return new DataSplit(train, test, dir.toString(), false);
    }

    /**
     * Turns one images file and one labels file into a normalised data set.
     *
     * @param datasetName the name the data set reports
     * @param images an {@code N x 28 x 28} array
     * @param imagesName the images file's name, for error messages
     * @param labels an {@code N} array of labels in {@code [0, 10)}
     * @param labelsName the labels file's name, for error messages
     * @return the data set
     * @throws InvalidInputException if the shapes or labels are not those of Fashion-MNIST
     */
    static Dataset toDataset(
            String datasetName, IdxArray images, String imagesName, IdxArray labels, String labelsName) {
        int[] y = checkedLabels(images, imagesName, labels, labelsName);
        byte[] pixels = images.data();
        float[] x = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            x[i] = NORMALISED[pixels[i] & 0xFF];
        }
        return new Dataset(datasetName, x, y, new int[] {1, SIDE, SIDE}, CLASS_NAMES);
    }

    /**
     * Checks that an images file and a labels file form Fashion-MNIST samples and returns the labels.
     *
     * @param images should be an {@code N x 28 x 28} array
     * @param imagesName the images file's name, for error messages
     * @param labels should be an {@code N} array of labels in {@code [0, 10)}
     * @param labelsName the labels file's name, for error messages
     * @return the {@code N} labels
     * @throws InvalidInputException if the shapes or labels are not those of Fashion-MNIST
     */
    static int[] checkedLabels(IdxArray images, String imagesName, IdxArray labels, String labelsName) {
        int[] d = images.dims();
        if (d.length != 3 || d[1] != SIDE || d[2] != SIDE) {
            throw new InvalidInputException(
                    imagesName + " holds an array of shape " + shape(d)
                            + ", but Fashion-MNIST images are N x 28 x 28.");
        }
        if (labels.dims().length != 1) {
            throw new InvalidInputException(
                    labelsName + " holds an array of shape " + shape(labels.dims())
                            + ", but Fashion-MNIST labels are a list of N values.");
        }
        if (images.count() != labels.count()) {
            throw new InvalidInputException(
                    imagesName + " holds " + images.count() + " images but " + labelsName + " holds "
                            + labels.count() + " labels; the two must have the same count.");
        }
        int[] y = new int[labels.count()];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels.unsigned(i);
            if (y[i] >= CLASS_NAMES.size()) {
                throw new InvalidInputException(
                        labelsName + " holds label " + y[i] + " at position " + i
                                + ", but Fashion-MNIST labels are 0 to 9.");
            }
        }
        return y;
    }

    private static String shape(int[] dims) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            s.append(i == 0 ? "" : " x ").append(dims[i]);
        }
        return s.toString();
    }
}
