package dev.splitfed.data;

import dev.splitfed.internal.data.IidPartitioner;
import dev.splitfed.InvalidInputException;
import dev.splitfed.registry.Provider;
import dev.splitfed.registry.Registry;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Loads a data set by the name a run's {@code dataset} setting gives, and says how it is usually
 * trained.
 *
 * <p>splitfed provides {@code fashion-mnist}, {@code fashion-mnist-sample}, {@code breast-cancer}
 * and {@code fortunes}, and reads its users' own data as {@code csv:FILE} (a table),
 * {@code images:DIR} and {@code leaf:DIR}. A jar adds a data set by implementing this interface (with a public
 * no-argument constructor) and naming the class in
 * {@code META-INF/services/dev.splitfed.data.DatasetProvider}; see {@link Registry}.
 */
public interface DatasetProvider extends Provider {

    /**
     * Returns the registry of data sets: the built-in ones, then those
     * {@link java.util.ServiceLoader} finds, then those registered.
     *
     * @return the registry
     */
    static Registry<DatasetProvider> registry() {
        return BuiltInDatasets.REGISTRY;
    }

    /**
     * Loads the training and test sets.
     *
     * @param dataDir the directory the run's {@code data-dir} setting names, or null; never
     *     given to a provider that does not {@link #readsDirectory() read one}
     * @param env the process environment ({@code System.getenv()}), for locating the files
     * @return the training and test splits
     * @throws InvalidInputException if the data cannot be found or read
     */
    DataSplit load(Path dataDir, Map<String, String> env);

    /**
     * Loads the training and test sets as a run names them: {@code NAME} or {@code NAME:ARGUMENT}
     * (for instance {@code csv:records.csv}), with the run's {@link DataOptions}.
     *
     * <p>The default refuses an argument and reads the data with {@link #load(Path, Map)}; a
     * provider that takes an argument or {@link #options() reads options} overrides it.
     * {@link DatasetCatalog#load(String, DataOptions, Path, Map)} has already refused options the
     * provider does not read.
     *
     * @param argument the text after the name's colon, or null when there is none
     * @param options how the run asks the data to be read
     * @param dataDir as for {@link #load(Path, Map)}
     * @param env the process environment
     * @return the training and test splits, with a {@link DataSplit#schema() schema} if deployed
     *     clients may read their own files of this kind
     * @throws InvalidInputException if the argument is refused or the data cannot be found or read
     */
    default DataSplit load(String argument, DataOptions options, Path dataDir, Map<String, String> env) {
        if (argument != null) {
            throw new InvalidInputException("data set " + name() + " takes nothing after its name, got '" + name()
                    + ":" + argument + "'");
        }
        return load(dataDir, env);
    }

    /**
     * Reads a deployed client's own files as the run reads its data set: with the run's schema,
     * so that feature columns, categories, classes and normalisation mean what they mean to the
     * server.
     *
     * @param path the client's own file or directory
     * @param options the run's options
     * @param schema the run's schema, as the server sent it
     * @return the client's training samples
     * @throws InvalidInputException if the files cannot be read, or do not match the schema (the
     *     message says what differs)
     */
    default Dataset loadOwn(Path path, DataOptions options, DataSchema schema) {
        throw new InvalidInputException("data set " + name() + " cannot be read from a client's own files");
    }

    /**
     * Returns the keys of the {@link DataOptions} this data set reads, e.g. {@code label} and
     * {@code owner} for a table; a run that gives another is refused.
     *
     * @return the keys; none unless the provider says otherwise
     */
    default Set<String> options() {
        return Set.of();
    }

    /**
     * Returns the model the data set named with an argument is trained with unless the run names
     * another: by default {@link #naturalModel()}.
     *
     * @param argument the text after the name's colon, or null
     * @return a model name
     */
    default String naturalModel(String argument) {
        return naturalModel();
    }

    /**
     * Returns whether {@link #load} reads a directory the user names; a run that names one for a
     * data set that does not is refused.
     *
     * @return false unless the provider reads a directory
     */
    default boolean readsDirectory() {
        return false;
    }

    /**
     * Returns the model the data set is trained with unless the run names another.
     *
     * @return a name from {@code dev.splitfed.model.ModelProvider.registry()}, e.g. {@code lenet5}
     */
    String naturalModel();

    /**
     * Returns how the data set is divided among clients unless the run says otherwise.
     *
     * @return a spec {@link Partitioner#parse} reads; {@code iid} unless the provider says otherwise
     */
    default String naturalPartition() {
        return IidPartitioner.SPEC;
    }
}
