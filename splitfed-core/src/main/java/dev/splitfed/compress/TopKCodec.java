package dev.splitfed.compress;

import dev.splitfed.internal.compress.ErrorFeedback;
import dev.splitfed.InvalidInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The {@code topk:RATIO} codec: only the {@code k = ceil(RATIO * n)} values of largest magnitude
 * are sent, the others decode to zero (top-k sparsification; Aji and Heafield 2017, "Sparse
 * Communication for Distributed Gradient Descent"; Stich et al. 2018, "Sparsified SGD with
 * Memory"). Pair it with {@link ErrorFeedback} for model updates so the dropped mass is not lost.
 *
 * <p>Ties in magnitude go to the lower index, so the choice is deterministic. Layout: the {@code k}
 * int32 indices in strictly ascending order, then the {@code k} float32 values at those indices;
 * {@code 8k} bytes. Kept values are exact.
 */
final class TopKCodec extends AbstractCodec {

    /** The lower-cased spec; group 1 is the ratio, a plain decimal (no exponent). */
    static final Pattern SPEC = Pattern.compile("topk:(\\d+(\\.\\d*)?|\\.\\d+)");

    private final BigDecimal ratio;

    /**
     * Creates the codec.
     *
     * @param ratio the fraction of values kept, {@code 0 < ratio <= 1}
     */
    TopKCodec(BigDecimal ratio) {
        this.ratio = ratio.stripTrailingZeros();
    }

    @Override
    public String spec() {
        return "topk:" + ratio.toPlainString();
    }

    /**
     * Returns how many of {@code n} values are kept: {@code ceil(ratio * n)}, which is 0 for
     * {@code n == 0} and in {@code [1, n]} otherwise.
     */
    private int kept(int n) {
        // Exact decimal arithmetic: in double, 0.3 * 10 is 3.0000000000000004 and would keep 4.
        return ratio.multiply(BigDecimal.valueOf(n)).setScale(0, RoundingMode.CEILING).intValueExact();
    }

    @Override
    long payloadBytes(int n) {
        return (long) kept(n) * (Integer.BYTES + Float.BYTES);
    }

    @Override
    void encodeInto(float[] values, ByteBuffer out) {
        int[] indices = largest(values, kept(values.length));
        out.asIntBuffer().put(indices);
        int valuesAt = indices.length * Integer.BYTES;
        for (int j = 0; j < indices.length; j++) {
            out.putFloat(valuesAt + j * Float.BYTES, values[indices[j]]);
        }
    }

    @Override
    float[] decodeFrom(ByteBuffer in, int n) {
        int k = kept(n);
        int valuesAt = k * Integer.BYTES;
        float[] values = new float[n];
        int previous = -1;
        for (int j = 0; j < k; j++) {
            int index = in.getInt(j * Integer.BYTES);
            if (index < 0 || index >= n) {
                throw new InvalidInputException(spec() + " payload entry " + j + " has index " + index
                        + ", expected an index in [0, " + n + ")");
            }
            if (index <= previous) {
                throw new InvalidInputException(spec() + " payload entry " + j + " has index " + index
                        + " after index " + previous + ", expected strictly ascending indices");
            }
            float v = in.getFloat(valuesAt + j * Float.BYTES);
            if (!Float.isFinite(v)) {
                throw new InvalidInputException(
                        spec() + " payload holds " + v + " for index " + index + ", expected finite values");
            }
            values[index] = v;
            previous = index;
        }
        return values;
    }

    /**
     * Returns, in ascending order, the indices of the {@code k} values of largest magnitude, ties
     * going to the lower index; expected {@code O(n)} time.
     */
    private static int[] largest(float[] values, int k) {
        int n = values.length;
        int[] indices = new int[k];
        if (k == n) {
            for (int i = 0; i < n; i++) {
                indices[i] = i;
            }
            return indices;
        }
        float[] magnitudes = new float[n];
        for (int i = 0; i < n; i++) {
            magnitudes[i] = Math.abs(values[i]);
        }
        float threshold = select(magnitudes, n - k);
        int above = 0;
        for (float v : values) {
            if (Math.abs(v) > threshold) {
                above++;
            }
        }
        int ties = k - above;
        int j = 0;
        for (int i = 0; j < k; i++) {
            float m = Math.abs(values[i]);
            if (m > threshold) {
                indices[j++] = i;
            } else if (m == threshold && ties > 0) {
                indices[j++] = i;
                ties--;
            }
        }
        return indices;
    }

    /**
     * Returns the value that would be at {@code rank} if {@code a} were sorted ascending, reordering
     * {@code a} (Hoare 1961, "Algorithm 65: Find", with a three-way partition so that runs of equal
     * values, such as many zeros, do not slow it down).
     */
    private static float select(float[] a, int rank) {
        // Random pivots give expected O(n) on any input; the result does not depend on them.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            float pivot = a[random.nextInt(lo, hi + 1)];
            // Invariant: a[lo..lt) < pivot, a[lt..i) == pivot, a(gt..hi] > pivot.
            int lt = lo;
            int i = lo;
            int gt = hi;
            while (i <= gt) {
                if (a[i] < pivot) {
                    swap(a, lt++, i++);
                } else if (a[i] > pivot) {
                    swap(a, i, gt--);
                } else {
                    i++;
                }
            }
            if (rank < lt) {
                hi = lt - 1;
            } else if (rank > gt) {
                lo = gt + 1;
            } else {
                return pivot;
            }
        }
        return a[lo];
    }

    private static void swap(float[] a, int i, int j) {
        float t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
