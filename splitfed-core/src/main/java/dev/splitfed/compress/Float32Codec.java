package dev.splitfed.compress;

import dev.splitfed.InvalidInputException;
import java.nio.ByteBuffer;

/** The {@code none} codec: float32 values as they are, {@code 4n} bytes, lossless. */
final class Float32Codec extends AbstractCodec {

    @Override
    public String spec() {
        return "none";
    }

    @Override
    long payloadBytes(int n) {
        return (long) n * Float.BYTES;
    }

    @Override
    void encodeInto(float[] values, ByteBuffer out) {
        out.asFloatBuffer().put(values);
    }

    @Override
    float[] decodeFrom(ByteBuffer in, int n) {
        float[] values = new float[n];
        in.asFloatBuffer().get(values);
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(values[i])) {
                throw new InvalidInputException("none payload holds " + values[i] + " at index " + i
                        + ", expected finite values");
            }
        }
        return values;
    }
}
