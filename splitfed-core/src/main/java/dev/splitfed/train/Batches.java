package dev.splitfed.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.splitfed.data.Dataset;
import dev.splitfed.engine.Shapes;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;

/**
 * Mini-batches over one party's samples in a freshly shuffled order, reusing one buffer for the
 * features of every batch (the last batch may be smaller, as in PyTorch without drop_last).
 */
public final class Batches {

    private final Dataset data;
    private final int[] order;
    private final int batchSize;
    private final float[] features;
    private final int[] labels;
    private int position;
    private int current;

    /**
     * Creates an epoch over {@code indices}, shuffled with {@code rng}.
     *
     * @param data the data set the indices point into
     * @param indices the samples this party holds
     * @param batchSize samples per batch, {@code >= 1}
     * @param rng the shuffling stream
     */
    public Batches(Dataset data, int[] indices, int batchSize, UniformRandomProvider rng) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1");
        }
        this.data = data;
        this.order = Arrays.copyOf(indices, indices.length);
        PermutationSampler.shuffle(rng, order);
        this.batchSize = batchSize;
        int rows = Math.max(1, Math.min(batchSize, indices.length));
        this.features = new float[Math.multiplyExact(rows, data.featureSize())];
        this.labels = new int[rows];
    }

    /**
     * Returns the number of batches in an epoch over {@code samples} samples.
     *
     * @param samples number of samples
     * @param batchSize samples per batch
     * @return {@code ceil(samples / batchSize)}
     */
    public static int count(int samples, int batchSize) {
        return (samples + batchSize - 1) / batchSize;
    }

    /**
     * Moves to the next batch.
     *
     * @return false when the epoch is over
     */
    public boolean next() {
        if (position >= order.length) {
            return false;
        }
        int end = Math.min(position + batchSize, order.length);
        current = end - position;
        data.gather(order, position, end, features, labels);
        position = end;
        return true;
    }

    /** Returns the number of samples in the current batch. */
    public int size() {
        return current;
    }

    /** Returns the current batch's labels; entries past {@link #size()} are stale. */
    public int[] labels() {
        return labels;
    }

    /**
     * Creates the current batch's feature array.
     *
     * @param manager where the array lives (a per-batch sub-manager)
     * @return {@code [size, sampleShape...]}
     */
    public NDArray features(NDManager manager) {
        return manager.create(
                FloatBuffer.wrap(features, 0, current * data.featureSize()), Shapes.batch(current, data.sampleShape()));
    }

    /** Returns a copy of the current batch's labels, exactly {@link #size()} of them. */
    public int[] labelsCopy() {
        return Arrays.copyOf(labels, current);
    }
}
