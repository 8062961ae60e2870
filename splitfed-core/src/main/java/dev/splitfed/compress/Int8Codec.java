package dev.splitfed.compress;

import dev.splitfed.InvalidInputException;
import java.nio.ByteBuffer;

/**
 * The {@code int8} codec: blockwise affine quantisation of each value to one unsigned byte.
 *
 * <p>Values are cut into blocks of {@value #BLOCK} consecutive values (the last may be shorter),
 * as in Dettmers et al. 2022, "8-bit Optimizers via Block-wise Quantization", so that one outlier
 * costs precision in its block only. Each block is mapped affinely onto 0..255 (Jacob et al. 2018,
 * "Quantization and Training of Neural Networks for Efficient Integer-Arithmetic-Only Inference"):
 * with the block's {@code min} and {@code scale = (max - min) / 255}, a value {@code v} is sent as
 * {@code q = round((v - min) / scale)} ({@code 0} when {@code scale == 0}) and read back as
 * {@code min + q * scale}, which is within {@code scale / 2} of {@code v}, up to rounding.
 *
 * <p>Layout, block after block: the block's float32 {@code min}, its float32 {@code scale}, then
 * its bytes {@code q}, one per value. A block is thus self-contained, and the payload for
 * {@code n} values is {@code n + 8 * ceil(n / 2048)} bytes. Arithmetic is done in double and
 * rounded once to float32, so a payload decodes to the same floats everywhere.
 */
final class Int8Codec extends AbstractCodec {

    /** Values per block. */
    static final int BLOCK = 2048;
    /** Bytes of a block header: float32 min and float32 scale. */
    private static final int HEADER = 2 * Float.BYTES;
    /** The largest level; levels are 0..255. */
    private static final int LEVELS = 255;

    @Override
    public String spec() {
        return "int8";
    }

    @Override
    long payloadBytes(int n) {
        long blocks = ((long) n + BLOCK - 1) / BLOCK;
        return n + HEADER * blocks;
    }

    @Override
    void encodeInto(float[] values, ByteBuffer out) {
        for (int start = 0; start < values.length; start += BLOCK) {
            int end = Math.min(values.length, start + BLOCK);
            float min = values[start];
            float max = values[start];
            for (int i = start + 1; i < end; i++) {
                min = Math.min(min, values[i]);
                max = Math.max(max, values[i]);
            }
            float scale = scale(min, max);
            out.putFloat(min).putFloat(scale);
            // Straight into the array, multiplying by the inverse: a division and a buffer check per
            // value made this codec ten times slower than a copy.
            byte[] bytes = out.array();
            int at = out.arrayOffset() + out.position();
            double inverse = scale == 0 ? 0 : 1.0 / scale;
            for (int i = start; i < end; i++) {
                bytes[at++] = (byte) level(values[i], min, inverse);
            }
            out.position(out.position() + end - start);
        }
    }

    @Override
    float[] decodeFrom(ByteBuffer in, int n) {
        float[] values = new float[n];
        for (int start = 0; start < n; start += BLOCK) {
            int end = Math.min(n, start + BLOCK);
            float min = in.getFloat();
            float scale = in.getFloat();
            if (!Float.isFinite(min) || !Float.isFinite(scale) || scale < 0) {
                throw new InvalidInputException("int8 payload block starting at value " + start + " has min " + min
                        + " and scale " + scale + ", expected a finite min and a finite scale >= 0");
            }
            for (int i = start; i < end; i++) {
                int q = in.get() & 0xFF;
                float v = value(min, scale, q);
                if (!Float.isFinite(v)) {
                    throw new InvalidInputException("int8 payload decodes value " + i + " to " + v + " (min " + min
                            + " + " + q + " * scale " + scale + "), expected finite values");
                }
                values[i] = v;
            }
        }
        return values;
    }

    /** Returns the step between levels for a block spanning {@code [min, max]}. */
    private static float scale(float min, float max) {
        // In double, max - min cannot overflow even for -Float.MAX_VALUE..Float.MAX_VALUE.
        float scale = (float) (((double) max - min) / LEVELS);
        // Rounding scale up can push the top level past Float.MAX_VALUE when max is near it; one
        // step down keeps it finite and moves the top level by far less than scale / 2.
        if (Float.isInfinite(value(min, scale, LEVELS))) {
            scale = Math.nextDown(scale);
        }
        return scale;
    }

    /**
     * Returns the level for {@code v}, a value of a block with this {@code min} and the inverse of
     * its scale (0 when the scale is 0).
     */
    private static int level(float v, float min, double inverse) {
        // v >= min, so rounding half up is adding 0.5 and truncating, and only the top needs
        // clamping (scale rounded down can put max just past 255). The product is within one ulp
        // of the quotient, which moves a value off its nearest level only at a tie.
        return Math.min((int) (((double) v - min) * inverse + 0.5), LEVELS);
    }

    /** Returns the value level {@code q} stands for. */
    private static float value(float min, float scale, int q) {
        return (float) (min + q * (double) scale);
    }
}
