package dev.splitfed.data;

import dev.splitfed.internal.data.BreastCancer;
import dev.splitfed.internal.data.FashionMnist;
import dev.splitfed.internal.data.FashionMnistLocator;
import dev.splitfed.internal.data.FashionMnistSample;
import dev.splitfed.internal.data.Fortunes;
import dev.splitfed.internal.data.NaturalPartitioner;
import dev.splitfed.registry.Registry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The data sets splitfed provides, first in the registry of data sets. */
final class BuiltInDatasets {

    static final List<DatasetProvider> PROVIDERS = List.of(
            new FashionMnistProvider(), new FashionMnistSampleProvider(), new BreastCancerProvider(),
            new FortunesProvider());

    static final Registry<DatasetProvider> REGISTRY = Registry.of("data set", DatasetProvider.class, PROVIDERS);

    private BuiltInDatasets() {}

    /**
     * {@code fashion-mnist}: the full set, found by {@link FashionMnistLocator}; when nothing was
     * given explicitly and the files are neither installed nor downloadable, the bundled sample is
     * used instead and {@link DataSplit#sample()} says so.
     */
    private static final class FashionMnistProvider implements DatasetProvider {

        @Override
        public String name() {
            return FashionMnist.NAME;
        }

        @Override
        public DataSplit load(Path dataDir, Map<String, String> env) {
            return new FashionMnistLocator(env).locate(dataDir, true);
        }

        @Override
        public boolean readsDirectory() {
            return true;
        }

        @Override
        public String naturalModel() {
            return "lenet5";
        }
    }

    /** {@code fashion-mnist-sample}: always the bundled 10% sample ({@link FashionMnistSample}). */
    private static final class FashionMnistSampleProvider implements DatasetProvider {

        @Override
        public String name() {
            return FashionMnistSample.NAME;
        }

        @Override
        public DataSplit load(Path dataDir, Map<String, String> env) {
            return FashionMnistSample.load();
        }

        @Override
        public String naturalModel() {
            return "lenet5";
        }
    }

    /** {@code breast-cancer}: the bundled Wisconsin Diagnostic Breast Cancer set ({@link BreastCancer}). */
    private static final class BreastCancerProvider implements DatasetProvider {

        @Override
        public String name() {
            return BreastCancer.NAME;
        }

        @Override
        public DataSplit load(Path dataDir, Map<String, String> env) {
            return BreastCancer.load();
        }

        @Override
        public String naturalModel() {
            return "mlp";
        }
    }

    /**
     * {@code fortunes}: next-word prediction on Debian's fortune files ({@link Fortunes}), one
     * client per file unless the run says otherwise.
     */
    private static final class FortunesProvider implements DatasetProvider {

        @Override
        public String name() {
            return Fortunes.NAME;
        }

        @Override
        public DataSplit load(Path dataDir, Map<String, String> env) {
            return Fortunes.load(dataDir);
        }

        @Override
        public boolean readsDirectory() {
            return true;
        }

        @Override
        public String naturalModel() {
            return "next-word";
        }

        @Override
        public String naturalPartition() {
            return NaturalPartitioner.SPEC;
        }
    }
}
