package dev.splitfed.data;

import dev.splitfed.internal.data.BreastCancer;
import dev.splitfed.internal.data.FashionMnistLocator;
import dev.splitfed.internal.data.FashionMnistSample;
import dev.splitfed.internal.data.Fortunes;
import dev.splitfed.InvalidInputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The data sets splitfed can train on, by the names used on the command line: those of
 * {@link DatasetProvider#registry()}.
 *
 * <ul>
 *   <li>{@code fashion-mnist}: the full set, found by {@link FashionMnistLocator}; when nothing
 *       was given explicitly and the files are neither installed nor downloadable, the bundled
 *       sample is used instead and {@link DataSplit#sample()} says so;
 *   <li>{@code fashion-mnist-sample}: always the bundled 10% sample ({@link FashionMnistSample});
 *   <li>{@code breast-cancer}: the bundled Wisconsin Diagnostic Breast Cancer set
 *       ({@link BreastCancer});
 *   <li>{@code fortunes}: next-word prediction on Debian's fortune files, one client per file
 *       ({@link Fortunes});
 *   <li>{@code csv:FILE}: a table of one's own, read by {@link dev.splitfed.internal.data.CsvTable}
 *       with the options {@code label}, {@code owner} and {@code test-file};
 *   <li>{@code images:DIR}: PNG and JPEG files in a folder per class, or per owner and class
 *       ({@link dev.splitfed.internal.data.ImageFolder});
 *   <li>{@code leaf:DIR}: a LEAF benchmark's JSON files, one owner per LEAF user
 *       ({@link dev.splitfed.internal.data.Leaf});
 *   <li>and any a {@link DatasetProvider} adds.
 * </ul>
 */
public final class DatasetCatalog {

    /**
     * The names of the data sets splitfed provides; {@code DatasetProvider.registry().names()}
     * adds those of extensions.
     */
    public static final List<String> NAMES = BuiltInDatasets.PROVIDERS.stream().map(DatasetProvider::name).toList();

    private DatasetCatalog() {}

    /**
     * Loads a data set by name.
     *
     * @param name a name from {@code DatasetProvider.registry().names()}
     * @param dataDir the directory given with {@code --data-dir}, or null; only data sets that
     *     {@link DatasetProvider#readsDirectory() read one} ({@code fashion-mnist} and
     *     {@code fortunes} among the built-in ones) accept it
     * @param env the process environment ({@code System.getenv()})
     * @return the training and test splits
     * @throws InvalidInputException if the name is unknown, a directory is given for a data set
     *     that reads none, or the data cannot be found or read
     */
    public static DataSplit load(String name, Path dataDir, Map<String, String> env) {
        return load(name, DataOptions.NONE, dataDir, env);
    }

    /**
     * Loads a data set by its spec: a name, or a name, a colon and what the provider reads, e.g.
     * {@code csv:records.csv}.
     *
     * @param spec the data set's spec
     * @param options how the run asks the data to be read; an option the provider does not read
     *     is refused
     * @param dataDir the directory given with {@code --data-dir}, or null
     * @param env the process environment ({@code System.getenv()})
     * @return the training and test splits
     * @throws InvalidInputException if the name is unknown, an option or a directory does not
     *     apply to it, or the data cannot be found or read
     */
    public static DataSplit load(String spec, DataOptions options, Path dataDir, Map<String, String> env) {
        return DatasetProvider.registry().parse(spec, (provider, argument) -> {
            checkOptions(provider, options);
            checkDirectory(provider, spec, dataDir);
            return provider.load(argument, options, dataDir, env);
        });
    }

    /**
     * Reads a deployed client's own files as the run's data set is read.
     *
     * @param spec the run's data set spec
     * @param options the run's options
     * @param path the client's file or directory
     * @param schema the run's schema as the server sent it
     * @return the client's training samples
     * @throws InvalidInputException if the files cannot be read or do not match the schema
     */
    public static Dataset loadOwn(String spec, DataOptions options, Path path, DataSchema schema) {
        return DatasetProvider.registry().parse(spec, (provider, argument) -> {
            checkOptions(provider, options);
            return provider.loadOwn(path, options, schema);
        });
    }

    /**
     * Returns the provider a spec names.
     *
     * @param spec a name, or a name, a colon and arguments
     * @return the provider, if there is one of that name
     */
    public static java.util.Optional<DatasetProvider> provider(String spec) {
        int colon = spec.indexOf(':');
        return DatasetProvider.registry().find(colon < 0 ? spec : spec.substring(0, colon));
    }

    private static void checkOptions(DatasetProvider provider, DataOptions options) {
        for (String key : options.given()) {
            if (!provider.options().contains(key)) {
                List<String> readers = DatasetProvider.registry().providers().stream()
                        .filter(p -> p.options().contains(key)).map(DatasetProvider::name).toList();
                throw new InvalidInputException("{" + key + "} does not apply to data set " + provider.name()
                        + (readers.isEmpty() ? "" : "; it applies to " + String.join(", ", readers)));
            }
        }
    }

    private static void checkDirectory(DatasetProvider provider, String name, Path dataDir) {
        if (dataDir != null && !provider.readsDirectory()) {
            List<String> readers = DatasetProvider.registry().providers().stream()
                    .filter(DatasetProvider::readsDirectory).map(DatasetProvider::name).toList();
            int last = readers.size() - 1;
            String which = last < 1 ? String.join("", readers)
                    : String.join(", ", readers.subList(0, last)) + " and " + readers.get(last);
            String why = BuiltInDatasets.bundled(provider) ? " is bundled with splitfed and reads no directory."
                    : BuiltInDatasets.PROVIDERS.contains(provider)
                    ? " reads the path after its name, as " + provider.name() + ":PATH, instead."
                    : " reads no directory.";
            throw new InvalidInputException(
                    "{data-dir} " + dataDir + " applies only to " + which + ", but " + name + why);
        }
    }

    /**
     * Returns the model a data set is usually trained with: {@code lenet5} for the images,
     * {@code mlp} for breast-cancer, {@code next-word} for fortunes.
     *
     * @param name a name from {@code DatasetProvider.registry().names()}
     * @return the model name
     * @throws InvalidInputException if the name is unknown
     */
    public static String naturalModel(String name) {
        return DatasetProvider.registry().parse(name, DatasetProvider::naturalModel);
    }

    /**
     * Returns how a data set is divided among clients unless {@code --partition} says otherwise:
     * {@code natural} (one client per owner) for fortunes, {@code iid} for the others.
     *
     * @param name a name from {@code DatasetProvider.registry().names()}
     * @return the partition spec
     * @throws InvalidInputException if the name is unknown
     */
    public static String naturalPartition(String name) {
        return DatasetProvider.registry().parse(name, (provider, argument) -> provider.naturalPartition());
    }
}
