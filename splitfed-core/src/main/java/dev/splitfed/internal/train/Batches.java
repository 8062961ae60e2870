package dev.splitfed.internal.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.splitfed.data.Dataset;
import dev.splitfed.internal.engine.Shapes;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;

/**
 * Mini-batches over one party's samples, reusing one buffer for the features of every batch: either
 * an epoch in a freshly shuffled order (the last batch may be smaller, as in PyTorch without
 * drop_last), or Poisson sampling, where each batch holds every sample independently with
 * probability {@code batchSize / samples} (the sampling DP-SGD's privacy analysis assumes; Abadi et
 * al. 2016, Mironov, Talwar and Zhang 2019), for as many batches as a shuffled epoch has.
 */
public final class Batches {

    private final Dataset data;
    private final int[] order;
    private final int batchSize;
    private final UniformRandomProvider poisson;
    private final int poissonSteps;
    private float[] features;
    private int[] labels;
    private int[] chosen;
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
        this(data, indices, batchSize, rng, false);
    }

    private Batches(Dataset data, int[] indices, int batchSize, UniformRandomProvider rng, boolean poisson) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1");
        }
        this.data = data;
        this.order = Arrays.copyOf(indices, indices.length);
        this.batchSize = batchSize;
        if (poisson) {
            this.poisson = rng;
            this.poissonSteps = count(indices.length, batchSize);
            this.chosen = new int[indices.length];
        } else {
            PermutationSampler.shuffle(rng, order);
            this.poisson = null;
            this.poissonSteps = 0;
        }
        int rows = Math.max(1, Math.min(batchSize, indices.length));
        this.features = new float[Math.multiplyExact(rows, data.featureSize())];
        this.labels = new int[rows];
    }

    /**
     * Creates {@code ceil(samples / batchSize)} Poisson-sampled batches over {@code indices}: each
     * holds every sample independently with probability {@code batchSize / samples} (capped at 1),
     * so a batch may be empty or larger than {@code batchSize}.
     *
     * @param data the data set the indices point into
     * @param indices the samples this party holds
     * @param batchSize the expected samples per batch, {@code >= 1}
     * @param rng the sampling stream
     * @return the batches
     */
    public static Batches poisson(Dataset data, int[] indices, int batchSize, UniformRandomProvider rng) {
        return new Batches(data, indices, batchSize, rng, true);
    }

    /** Returns the probability that a Poisson batch holds a given sample (for shuffled batches, the same ratio). */
    public double sampleRate() {
        return Math.min(1.0, (double) batchSize / order.length);
    }

    /**
     * Returns the number of samples a batch holds on average: the batch size for Poisson batches
     * (capped at the samples held), the current batch's size for shuffled ones.
     */
    public double expectedSize() {
        return poisson != null ? sampleRate() * order.length : current;
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
        if (poisson != null) {
            return nextPoisson();
        }
        if (position >= order.length) {
            return false;
        }
        int end = Math.min(position + batchSize, order.length);
        current = end - position;
        data.gather(order, position, end, features, labels);
        position = end;
        return true;
    }

    private boolean nextPoisson() {
        if (position >= poissonSteps) {
            return false;
        }
        position++;
        double q = sampleRate();
        current = 0;
        for (int index : order) {
            if (poisson.nextDouble() < q) {
                chosen[current++] = index;
            }
        }
        if (current > labels.length) {
            features = new float[Math.multiplyExact(current, data.featureSize())];
            labels = new int[current];
        }
        data.gather(chosen, 0, current, features, labels);
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
