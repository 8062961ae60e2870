package dev.splitfed.compress;

import dev.splitfed.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The part every codec shares: payload sizes checked against {@code int}, payload lengths checked
 * before decoding, little-endian buffers, and identity by {@link #spec()}.
 */
abstract class AbstractCodec implements Codec {

    /** The longest payload a byte array can hold on common JVMs. */
    private static final long MAX_PAYLOAD = Integer.MAX_VALUE - 8;

    /**
     * Returns the payload size for {@code n >= 0} values, which may exceed an {@code int}.
     *
     * @param n the number of values
     */
    abstract long payloadBytes(int n);

    /**
     * Encodes {@code values} into {@code out}, a little-endian buffer of exactly the payload size.
     *
     * @param values the values
     * @param out the buffer to fill from position 0
     */
    abstract void encodeInto(float[] values, ByteBuffer out);

    /**
     * Decodes a payload whose length is already known to be right.
     *
     * @param in the payload as a little-endian buffer at position 0
     * @param n the number of values
     * @throws InvalidInputException if the content does not decode to finite values
     */
    abstract float[] decodeFrom(ByteBuffer in, int n);

    @Override
    public final int encodedBytes(int n) {
        if (n < 0) {
            throw new InvalidInputException(spec() + " payload cannot hold " + n + " values; the count must be >= 0");
        }
        long bytes = payloadBytes(n);
        if (bytes > MAX_PAYLOAD) {
            throw new InvalidInputException(
                    spec() + " payload for " + n + " values would be " + bytes + " bytes, more than " + MAX_PAYLOAD);
        }
        return (int) bytes;
    }

    @Override
    public final byte[] encode(float[] values) {
        byte[] payload = new byte[encodedBytes(values.length)];
        encodeInto(values, ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN));
        return payload;
    }

    @Override
    public final float[] decode(byte[] payload, int n) {
        int expected = encodedBytes(n);
        if (payload.length != expected) {
            throw new InvalidInputException(spec() + " payload for " + n + " values must be " + expected
                    + " bytes, got " + payload.length);
        }
        return decodeFrom(ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN), n);
    }

    // Not a default method of Codec: an interface with one is initialised with its implementations,
    // and Codec.NONE, built while Codec initialises, would then risk a class-initialisation deadlock.
    @Override
    public final boolean lossless() {
        return spec().equals("none");
    }

    @Override
    public final boolean equals(Object o) {
        return o instanceof AbstractCodec other && spec().equals(other.spec());
    }

    @Override
    public final int hashCode() {
        return spec().hashCode();
    }

    @Override
    public final String toString() {
        return spec();
    }
}
