package dev.splitfed.internal.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;

/** Mean softmax cross-entropy of logits against integer class labels. */
public final class CrossEntropy {

    private static final Loss LOSS = Loss.softmaxCrossEntropyLoss();

    private CrossEntropy() {}

    /**
     * Returns the mean loss over the batch as a scalar array.
     *
     * @param logits {@code [batch, classes]}
     * @param labels one class index per row
     * @return the scalar loss, attached to the logits' manager
     */
    public static NDArray mean(NDArray logits, NDArray labels) {
        return LOSS.evaluate(new NDList(labels), new NDList(logits));
    }

    /**
     * Creates the label array for a batch.
     *
     * @param manager where the array lives
     * @param labels the first {@code count} entries are used
     * @param count the batch size
     * @return an int64 array of {@code count} labels
     */
    public static NDArray labels(NDManager manager, int[] labels, int count) {
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = labels[i];
        }
        return manager.create(values);
    }
}
