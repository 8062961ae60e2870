package dev.splitfed.data;

import dev.splitfed.InvalidInputException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The data sets splitfed can train on, by the names used on the command line.
 *
 * <ul>
 *   <li>{@code fashion-mnist}: the full set, found by {@link FashionMnistLocator}; when nothing
 *       was given explicitly and the files are neither installed nor downloadable, the bundled
 *       sample is used instead and {@link DataSplit#sample()} says so;
 *   <li>{@code fashion-mnist-sample}: always the bundled 10% sample ({@link FashionMnistSample});
 *   <li>{@code breast-cancer}: the bundled Wisconsin Diagnostic Breast Cancer set
 *       ({@link BreastCancer});
 *   <li>{@code fortunes}: next-word prediction on Debian's fortune files, one client per file
 *       ({@link Fortunes}).
 * </ul>
 */
public final class DatasetCatalog {

    private enum Entry {
        FASHION_MNIST(FashionMnist.NAME, "lenet5", IidPartitioner.SPEC),
        FASHION_MNIST_SAMPLE(FashionMnistSample.NAME, "lenet5", IidPartitioner.SPEC),
        BREAST_CANCER(BreastCancer.NAME, "mlp", IidPartitioner.SPEC),
        FORTUNES(Fortunes.NAME, "next-word", NaturalPartitioner.SPEC);

        private final String datasetName;
        private final String model;
        private final String partition;

        Entry(String datasetName, String model, String partition) {
            this.datasetName = datasetName;
            this.model = model;
            this.partition = partition;
        }
    }

    /** The valid data set names. */
    public static final List<String> NAMES = Arrays.stream(Entry.values()).map(e -> e.datasetName).toList();

    private DatasetCatalog() {}

    /**
     * Loads a data set by name.
     *
     * @param name one of {@link #NAMES}
     * @param dataDir the directory given with {@code --data-dir}, or null; only
     *     {@code fashion-mnist} reads one
     * @param env the process environment ({@code System.getenv()})
     * @return the training and test splits
     * @throws InvalidInputException if the name is unknown, a directory is given for a bundled
     *     data set, or the data cannot be found or read
     */
    public static DataSplit load(String name, Path dataDir, Map<String, String> env) {
        Entry entry = entry(name);
        if (dataDir != null && entry != Entry.FASHION_MNIST && entry != Entry.FORTUNES) {
            throw new InvalidInputException(
                    "--data-dir " + dataDir + " applies only to fashion-mnist and fortunes, but " + name
                            + " is bundled with splitfed and reads no directory.");
        }
        return switch (entry) {
            case FASHION_MNIST -> new FashionMnistLocator(env).locate(dataDir, true);
            case FASHION_MNIST_SAMPLE -> FashionMnistSample.load();
            case BREAST_CANCER -> BreastCancer.load();
            case FORTUNES -> Fortunes.load(dataDir);
        };
    }

    /**
     * Returns the model a data set is usually trained with: {@code lenet5} for the images,
     * {@code mlp} for breast-cancer.
     *
     * @param name one of {@link #NAMES}
     * @return the model name: {@code lenet5}, {@code mlp} or {@code next-word}
     * @throws InvalidInputException if the name is unknown
     */
    public static String naturalModel(String name) {
        return entry(name).model;
    }

    /**
     * Returns how a data set is divided among clients unless {@code --partition} says otherwise:
     * {@code natural} (one client per owner) for fortunes, {@code iid} for the others.
     *
     * @param name one of {@link #NAMES}
     * @return the partition spec
     * @throws InvalidInputException if the name is unknown
     */
    public static String naturalPartition(String name) {
        return entry(name).partition;
    }

    private static Entry entry(String name) {
        for (Entry e : Entry.values()) {
            if (e.datasetName.equals(name)) {
                return e;
            }
        }
        throw new InvalidInputException(
                "unknown data set '" + name + "'; expected one of " + String.join(", ", NAMES) + ".");
    }
}
