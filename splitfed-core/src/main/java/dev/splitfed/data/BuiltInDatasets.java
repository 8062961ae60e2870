package dev.splitfed.data;

import dev.splitfed.internal.data.BreastCancer;
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
            // images:DIR and leaf:DIR, read with their own providers (they take an argument and options).
            new ImageFolder.Provider(),
            new Leaf.Provider());

    static final Registry<DatasetProvider> REGISTRY = Registry.of("data set", DatasetProvider.class, PROVIDERS);

    private BuiltInDatasets() {}

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
}
