package dev.splitfed.internal.aggregate;

import dev.splitfed.aggregate.Aggregator;
import dev.splitfed.aggregate.ClientUpdate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A Byzantine-robust rule: it treats every update alike, whatever its sample count, since a
 * Byzantine client could claim any count it liked. The updates are taken in client-id order, so
 * the result does not depend on the order in which they arrived.
 */
public abstract class UnweightedAggregator implements Aggregator {

    @Override
    public final float[] aggregate(List<ClientUpdate> updates) {
        if (updates.isEmpty()) {
            throw new IllegalArgumentException("updates must not be empty");
        }
        List<ClientUpdate> ordered =
                updates.stream().sorted(Comparator.comparingInt(ClientUpdate::clientId)).toList();
        int length = ordered.get(0).delta().length;
        float[][] vectors = new float[ordered.size()][];
        for (int k = 0; k < vectors.length; k++) {
            ClientUpdate u = ordered.get(k);
            if (u.delta().length != length) {
                throw new IllegalArgumentException(
                        "client " + u.clientId() + " sent " + u.delta().length + " values, expected " + length);
            }
            vectors[k] = u.delta();
        }
        return combine(vectors);
    }

    /**
     * Returns the combination of the updates.
     *
     * @param vectors at least one update, all of one length, in client-id order; not modified
     * @return a new vector
     */
    abstract float[] combine(float[][] vectors);

    /**
     * Returns the unweighted mean of the chosen vectors.
     *
     * @param vectors the updates
     * @param chosen indices into {@code vectors}, at least one
     * @return a new vector
     */
    static float[] mean(float[][] vectors, int[] chosen) {
        int length = vectors[0].length;
        double[] sum = new double[length];
        for (int k : chosen) {
            float[] v = vectors[k];
            for (int i = 0; i < length; i++) {
                sum[i] += v[i];
            }
        }
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            out[i] = (float) (sum[i] / chosen.length);
        }
        return out;
    }

    /**
     * Returns, coordinate by coordinate, {@code rule} applied to the chosen vectors' values there,
     * sorted ascending: the shape of the median, the trimmed mean and Bulyan's last step.
     *
     * @param vectors the updates
     * @param chosen indices into {@code vectors}, at least one
     * @param rule maps one coordinate's sorted values (a scratch array) to the aggregate's value
     * @return a new vector
     */
    static float[] coordinateWise(float[][] vectors, int[] chosen, ToDoubleFunction<float[]> rule) {
        float[] column = new float[chosen.length];
        float[] out = new float[vectors[0].length];
        for (int i = 0; i < out.length; i++) {
            for (int k = 0; k < chosen.length; k++) {
                column[k] = vectors[chosen[k]][i];
            }
            Arrays.sort(column);
            out[i] = (float) rule.applyAsDouble(column);
        }
        return out;
    }

    /** Returns the indices {@code 0..n-1}. */
    static int[] all(int n) {
        int[] out = new int[n];
        Arrays.setAll(out, k -> k);
        return out;
    }
}
