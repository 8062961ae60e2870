package dev.splitfed.internal.data;

import dev.splitfed.data.Dataset;
import java.util.Arrays;
import java.util.Objects;

/**
 * An unsigned-byte array in IDX form: its dimensions and its bytes in row-major order.
 *
 * <p>The arrays are shared, not copied: a Fashion-MNIST training file holds 47 MB, and a loader
 * only reads it once on its way to a {@link Dataset}.
 *
 * @param dims the dimensions, each {@code >= 1}; {@code dims[0]} is the number of items
 * @param data {@code product(dims)} bytes, each read as a value in {@code [0, 255]}
 */
public record IdxArray(int[] dims, byte[] data) {

    /** Checks that the bytes fill the dimensions exactly. */
    public IdxArray {
        Objects.requireNonNull(dims, "dims");
        Objects.requireNonNull(data, "data");
        if (dims.length < 1 || dims.length > 255) {
            throw new IllegalArgumentException("an IDX array has 1 to 255 dimensions, not " + dims.length);
        }
        if (elementCount(dims) != data.length) {
            throw new IllegalArgumentException(
                    "dims " + Arrays.toString(dims) + " need " + elementCount(dims)
                            + " bytes, not " + data.length);
        }
    }

    /** Returns the number of items, {@code dims[0]}. */
    public int count() {
        return dims[0];
    }

    /** Returns the value at flat position {@code i}, in {@code [0, 255]}. */
    public int unsigned(int i) {
        return data[i] & 0xFF;
    }

    /**
     * Returns the number of elements the dimensions describe, or -1 if one is below 1.
     *
     * @param dims the dimensions
     * @return their product as a long, or -1
     */
    static long elementCount(int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 1) {
                return -1;
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                // Already too large for a Java array; stop before the product overflows a long.
                return n;
            }
        }
        return n;
    }
}
