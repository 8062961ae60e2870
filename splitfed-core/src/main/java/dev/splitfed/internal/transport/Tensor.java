package dev.splitfed.internal.transport;

import dev.splitfed.InvalidInputException;
import java.util.Arrays;

/**
 * A float32 tensor as it crosses between roles: a shape and its row-major values.
 *
 * <p>Messages carry {@code Tensor}s rather than engine arrays, so that the roles need not share an
 * engine and every payload can be counted in bytes.
 *
 * @param shape the dimensions, each {@code >= 1}
 * @param data the values, {@code product(shape)} of them
 */
public record Tensor(int[] shape, float[] data) {

    /**
     * Creates a tensor, checking that the shape and the data agree.
     *
     * @throws InvalidInputException if a dimension is not positive or the data do not fill the shape
     */
    public Tensor {
        long n = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new InvalidInputException("tensor shape " + Arrays.toString(shape) + " has a dimension < 1");
            }
            n *= d;
        }
        if (n != data.length) {
            throw new InvalidInputException(
                    "tensor of shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
    }

    /** Returns the number of values. */
    public int size() {
        return data.length;
    }

    /** Returns the size of dimension 0 (the batch size for activations). */
    public int rows() {
        return shape[0];
    }
}
