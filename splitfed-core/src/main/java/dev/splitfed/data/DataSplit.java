package dev.splitfed.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A data set's training and test parts, and where they came from.
 *
 * @param train the samples clients train on
 * @param test the held-out samples the global model is evaluated on
 * @param source where the data came from: a directory, a download, or a bundled resource
 * @param sample true when this is the bundled Fashion-MNIST sample rather than the full set
 * @param schema how a deployed client reads its own files as these were read, or null for a data
 *     set that clients do not bring themselves
 */
public record DataSplit(Dataset train, Dataset test, String source, boolean sample, DataSchema schema) {

    /**
     * A split without a schema.
     *
     * @param train the samples clients train on
     * @param test the held-out samples the global model is evaluated on
     * @param source where the data came from
     * @param sample true when this is the bundled Fashion-MNIST sample
     */
    public DataSplit(Dataset train, Dataset test, String source, boolean sample) {
        this(train, test, source, sample, null);
    }

    /** Checks that both parts describe the same kind of sample. */
    public DataSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(source, "source");
        if (!Arrays.equals(train.sampleShape(), test.sampleShape())
                || !train.classNames().equals(test.classNames())) {
            throw new IllegalArgumentException(
                    "train and test must share sample shape and classes, not "
                            + Arrays.toString(train.sampleShape()) + " " + train.classNames() + " and "
                            + Arrays.toString(test.sampleShape()) + " " + test.classNames());
        }
    }
}
