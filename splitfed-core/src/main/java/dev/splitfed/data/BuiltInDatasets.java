package dev.splitfed.data;

import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.data.BreastCancer;
import dev.splitfed.internal.data.CsvSchema;
import dev.splitfed.internal.data.CsvTable;
import dev.splitfed.internal.data.FashionMnist;
import dev.splitfed.internal.data.FashionMnistLocator;
import dev.splitfed.internal.data.FashionMnistSample;
import dev.splitfed.internal.data.Fortunes;
import dev.splitfed.internal.data.IidPartitioner;
import dev.splitfed.internal.data.ImageFolder;
import dev.splitfed.internal.data.Leaf;
import dev.splitfed.internal.data.NaturalPartitioner;
import dev.splitfed.registry.Registry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/** The data sets splitfed provides, first in the registry of data sets. */
final class BuiltInDatasets {

    static final List<DatasetProvider> PROVIDERS = List.of(
            // The full set, found by FashionMnistLocator; when nothing was given explicitly and the files are
            // neither installed nor downloadable, the bundled sample stands in and DataSplit.sample() says so.
            new BuiltIn(FashionMnist.NAME, (dir, env) -> new FashionMnistLocator(env).locate(dir, true), true,
                    "lenet5", IidPartitioner.SPEC),
            new BuiltIn(FashionMnistSample.NAME, (dir, env) -> FashionMnistSample.load(), false, "lenet5",
                    IidPartitioner.SPEC),
            // The bundled Wisconsin Diagnostic Breast Cancer set.
            new BuiltIn(BreastCancer.NAME, (dir, env) -> BreastCancer.load(), false, "mlp", IidPartitioner.SPEC),
            // Next-word prediction on Debian's fortune files, one client per file unless the run says otherwise.
            new BuiltIn(Fortunes.NAME, (dir, env) -> Fortunes.load(dir), true, "next-word", NaturalPartitioner.SPEC),
            // The user's own table, csv:FILE, read by CsvTable.
            new CsvTables(),
            // images:DIR and leaf:DIR, read with their own providers (they take an argument and options).
            new ImageFolder.Provider(),
            new Leaf.Provider());

    static final Registry<DatasetProvider> REGISTRY = Registry.of("data set", DatasetProvider.class, PROVIDERS);

    private BuiltInDatasets() {}

    /** Returns whether a provider is one of the data sets bundled with splitfed, as opposed to a reader of the user's files. */
    static boolean bundled(DatasetProvider provider) {
        return provider instanceof BuiltIn;
    }

    /**
     * A data set splitfed provides.
     *
     * @param name the name
     * @param loader reads the data from a directory (or null) and the environment
     * @param readsDirectory whether it reads a data directory
     * @param naturalModel the model it is usually trained with
     * @param naturalPartition how it is divided among clients by default
     */
    private record BuiltIn(String name, BiFunction<Path, Map<String, String>, DataSplit> loader,
            boolean readsDirectory, String naturalModel, String naturalPartition) implements DatasetProvider {

        @Override
        public DataSplit load(Path dataDir, Map<String, String> env) {
            return loader.apply(dataDir, env);
        }
    }

    /**
     * A user's CSV table, {@code csv:FILE}: see {@link CsvTable} for how it is read. Trained with
     * {@code mlp}, divided {@code iid} unless the run says otherwise; reads {@code label},
     * {@code owner} and {@code test-file}; deployed clients may read their own tables with the
     * run's schema.
     */
    private static final class CsvTables implements DatasetProvider {

        @Override
        public String name() {
            return CsvTable.NAME;
        }

        @Override
        public DataSplit load(Path dataDir, Map<String, String> env) {
            return load(null, DataOptions.NONE, dataDir, env);
        }

        @Override
        public DataSplit load(String argument, DataOptions options, Path dataDir, Map<String, String> env) {
            if (argument == null || argument.isBlank()) {
                throw new InvalidInputException("data set csv needs the table's file after a colon, such as "
                        + "{dataset} csv:patients.csv.");
            }
            return CsvTable.load(Path.of(argument), options);
        }

        @Override
        public Dataset loadOwn(Path path, DataOptions options, DataSchema schema) {
            return CsvTable.loadOwn(path, CsvSchema.of(schema));
        }

        @Override
        public Set<String> options() {
            return Set.of("label", "owner", "test-file");
        }

        @Override
        public String naturalModel() {
            return "mlp";
        }
    }
}
