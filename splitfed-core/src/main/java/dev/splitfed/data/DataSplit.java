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
 */
public record DataSplit(Dataset train, Dataset test, String source, boolean sample) {

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
