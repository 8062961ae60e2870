package dev.splitfed.data;

import dev.splitfed.internal.data.IidPartitioner;
import dev.splitfed.InvalidInputException;
import dev.splitfed.registry.Provider;
import dev.splitfed.registry.Registry;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads a data set by the name a run's {@code dataset} setting gives, and says how it is usually
 * trained.
 *
 * <p>splitfed provides {@code fashion-mnist}, {@code fashion-mnist-sample}, {@code breast-cancer}
 * and {@code fortunes}. A jar adds a data set by implementing this interface (with a public
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
