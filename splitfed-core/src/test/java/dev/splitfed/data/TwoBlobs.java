package dev.splitfed.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A data set defined outside splitfed's sources, found through
 * {@code plugins/extensions/META-INF/services}: two features, class 0 near (0, 0) and class 1
 * near (1, 1), six training and two test samples.
 */
public final class TwoBlobs implements DatasetProvider {

    @Override
    public String name() {
        return "two-blobs";
    }

    @Override
    public DataSplit load(Path dataDir, Map<String, String> env) {
        List<String> classes = List.of("low", "high");
        Dataset train = new Dataset(name(), new float[] {0, 0, 1, 1, 0.1f, 0, 0.9f, 1, 0, 0.1f, 1, 0.9f},
                new int[] {0, 1, 0, 1, 0, 1}, new int[] {2}, classes);
        Dataset test = new Dataset(name(), new float[] {0.2f, 0.1f, 0.8f, 0.9f}, new int[] {0, 1}, new int[] {2},
                classes);
        return new DataSplit(train, test, "made in test code", false);
    }

    @Override
    public String naturalModel() {
        return "tiny-linear";
    }

    @Override
    public String naturalPartition() {
        return "stripes:2";
    }
}
