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
import java.util.function.UnaryOperator;

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
            // The users' own files, NAME:PATH: a table, folders of images, a LEAF benchmark's JSON.
            new FromPath(CsvTable.NAME, "data set csv needs the table's file after a colon, such as {dataset} "
                    + "csv:patients.csv.", Set.of("label", "owner", "test-file"), argument -> "mlp",
                    IidPartitioner.SPEC, CsvTable::load, (path, options, schema) -> CsvTable.loadOwn(path,
                            CsvSchema.of(schema))),
            new FromPath(ImageFolder.NAME, "data set images needs a folder: {dataset} images:DIR, with "
                    + "DIR/train/<class>/ and DIR/test/<class>/ holding PNG or JPEG files",
                    Set.of("image-size", "channels"), argument -> "lenet5", IidPartitioner.SPEC, ImageFolder::load,
                    ImageFolder::loadOwn),
            new FromPath(Leaf.NAME, "data set leaf needs a folder: {dataset} leaf:DIR, with LEAF's JSON files in "
                    + "DIR/train/ and DIR/test/", Set.of("image-size"),
                    argument -> argument == null ? "lenet5" : Leaf.naturalModel(Path.of(argument)),
                    NaturalPartitioner.SPEC, Leaf::load, (path, options, schema) -> Leaf.loadOwn(path, schema)));

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

    /** Reads a deployed client's own files with the run's schema. */
    @FunctionalInterface
    private interface OwnReader {
        Dataset read(Path path, DataOptions options, DataSchema schema);
    }

    /**
     * A reader of the user's own files, named {@code NAME:PATH}.
     *
     * @param name the name before the colon
     * @param usage the sentence that refuses the name without a path
     * @param options the keys of the {@link DataOptions} it reads
     * @param naturalModelOf the model it is trained with unless the run names one, from the path (or null)
     * @param naturalPartition how it is divided among clients unless the run says otherwise
     * @param reader reads the path with the run's options
     * @param own reads a deployed client's own files with the run's schema
     */
    private record FromPath(String name, String usage, Set<String> options, UnaryOperator<String> naturalModelOf,
            String naturalPartition, BiFunction<Path, DataOptions, DataSplit> reader, OwnReader own)
            implements DatasetProvider {

        @Override
        public DataSplit load(Path dataDir, Map<String, String> env) {
            throw new InvalidInputException(usage);
        }

        @Override
        public DataSplit load(String argument, DataOptions options, Path dataDir, Map<String, String> env) {
            if (argument == null || argument.isBlank()) {
                throw new InvalidInputException(usage);
            }
            return reader.apply(Path.of(argument), options);
        }

        @Override
        public Dataset loadOwn(Path path, DataOptions options, DataSchema schema) {
            return own.read(path, options, schema);
        }

        @Override
        public String naturalModel() {
            return naturalModelOf.apply(null);
        }

        @Override
        public String naturalModel(String argument) {
            return naturalModelOf.apply(argument);
        }
    }
}
