package dev.splitfed.internal.engine;

import ai.djl.ndarray.types.Shape;

/** Converts between splitfed's {@code int[]} shapes and DJL's {@link Shape}. */
public final class Shapes {

    private Shapes() {}

    /**
     * Returns the shape of a batch of {@code rows} samples of shape {@code sample}.
     *
     * @param rows the batch size
     * @param sample the shape of one sample
     * @return {@code [rows, sample...]}
     */
    public static Shape batch(int rows, int[] sample) {
        long[] dims = new long[sample.length + 1];
        dims[0] = rows;
        for (int i = 0; i < sample.length; i++) {
            dims[i + 1] = sample[i];
        }
        return new Shape(dims);
    }

    /**
     * Returns a shape given as ints.
     *
     * @param dims the dimensions
     * @return the DJL shape
     */
    public static Shape of(int[] dims) {
        long[] d = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            d[i] = dims[i];
        }
        return new Shape(d);
    }

    /**
     * Returns a DJL shape as ints.
     *
     * @param shape the shape
     * @return its dimensions
     */
    public static int[] toInts(Shape shape) {
        int[] out = new int[shape.dimension()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.toIntExact(shape.get(i));
        }
        return out;
    }
}
