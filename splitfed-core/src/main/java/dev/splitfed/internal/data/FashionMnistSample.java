package dev.splitfed.internal.data;

import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The stratified 10% sample of Fashion-MNIST that ships inside splitfed-core, and the tool that
 * makes it.
 *
 * <p>The sample lets every command and test run without the 30 MB download: 600 training and 100
 * test images of each class (6,000 and 1,000 in all), chosen by {@link StratifiedSplit} with the
 * fixed seed {@link #SEED}, each class in its original order. It lives as the four usual IDX files
 * under {@code src/main/resources/dev/splitfed/data/fashion-mnist-sample/}. To make it again from
 * the full set (the output is byte-for-byte the same), run from the project root:
 *
 * <pre>{@code
 * mvn -q -pl splitfed-core compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp splitfed-core/target/classes:$(cat splitfed-core/target/cp.txt) \
 *     dev.splitfed.internal.data.FashionMnistSample /usr/share/datasets/fashion-mnist \
 *     splitfed-core/src/main/resources/dev/splitfed/data/fashion-mnist-sample
 * }</pre>
 */
public final class FashionMnistSample {

    /** The sample's name in reports and on the command line. */
    public static final String NAME = "fashion-mnist-sample";

    /** What {@link DataSplit#source()} says for the sample. */
    public static final String SOURCE = "bundled sample (10% of Fashion-MNIST)";

    /** Training images kept per class. */
    public static final int TRAIN_PER_CLASS = 600;

    /** Test images kept per class. */
    public static final int TEST_PER_CLASS = 100;

    /** Seed of the choice; fixed so that the sample never changes. */
    public static final long SEED = 20170825L;

    private static final String RESOURCE_DIR = "/dev/splitfed/data/fashion-mnist-sample/";

    private FashionMnistSample() {}

    /**
     * Loads the bundled sample from the class path.
     *
     * @return 6,000 training and 1,000 test samples, normalised as {@link FashionMnist} does
     */
    public static DataSplit load() {
        Dataset train = FashionMnist.toDataset(NAME,
                resource(FashionMnist.TRAIN_IMAGES), FashionMnist.TRAIN_IMAGES,
                resource(FashionMnist.TRAIN_LABELS), FashionMnist.TRAIN_LABELS);
        Dataset test = FashionMnist.toDataset(NAME,
                resource(FashionMnist.TEST_IMAGES), FashionMnist.TEST_IMAGES,
                resource(FashionMnist.TEST_LABELS), FashionMnist.TEST_LABELS);
        return new DataSplit(train, test, SOURCE, true);
    }

    /**
     * Writes the sample of the full set in {@code sourceDir} as four IDX files in {@code targetDir}.
     *
     * @param sourceDir a directory holding the full Fashion-MNIST files
     * @param targetDir the directory to write to, created if absent
     * @throws IOException if a file cannot be written
     */
    public static void write(Path sourceDir, Path targetDir) throws IOException {
        Files.createDirectories(targetDir);
        writePart(sourceDir, targetDir,
                FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS, TRAIN_PER_CLASS);
        writePart(sourceDir, targetDir,
                FashionMnist.TEST_IMAGES, FashionMnist.TEST_LABELS, TEST_PER_CLASS);
    }

    /**
     * Makes the sample: {@code FashionMnistSample SOURCE_DIR TARGET_DIR}.
     *
     * @param args the directory with the full set and the directory to write the sample to
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: FashionMnistSample SOURCE_DIR TARGET_DIR");
            System.exit(2);
        }
        write(Path.of(args[0]), Path.of(args[1]));
    }

    private static void writePart(
            Path sourceDir, Path targetDir, String imagesFile, String labelsFile, int perClass)
            throws IOException {
        IdxArray images = IdxReader.read(sourceDir.resolve(imagesFile));
        IdxArray labels = IdxReader.read(sourceDir.resolve(labelsFile));
        int[] y = FashionMnist.checkedLabels(images, imagesFile, labels, labelsFile);
        int[] perClassCounts = new int[FashionMnist.CLASS_NAMES.size()];
        Arrays.fill(perClassCounts, perClass);
        int[] keep = StratifiedSplit.ofCounts(y, perClassCounts, SEED).chosen();

        int imageSize = images.data().length / images.count();
        byte[] keptImages = new byte[keep.length * imageSize];
        byte[] keptLabels = new byte[keep.length];
        for (int j = 0; j < keep.length; j++) {
            System.arraycopy(images.data(), keep[j] * imageSize, keptImages, j * imageSize, imageSize);
            keptLabels[j] = labels.data()[keep[j]];
        }
        int[] dims = images.dims().clone();
        dims[0] = keep.length;
        IdxWriter.write(targetDir.resolve(imagesFile), new IdxArray(dims, keptImages));
        IdxWriter.write(targetDir.resolve(labelsFile), new IdxArray(new int[] {keep.length}, keptLabels));
    }

    private static IdxArray resource(String file) {
        try (InputStream in = FashionMnistSample.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the class path lacks " + RESOURCE_DIR + file
                                + "; splitfed-core was built without its sample");
            }
            return IdxReader.read(in, RESOURCE_DIR + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
