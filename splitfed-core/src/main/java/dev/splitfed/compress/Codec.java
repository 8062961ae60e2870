package dev.splitfed.compress;

import dev.splitfed.InvalidInputException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;

/**
 * Turns a vector of float32 values into bytes for the wire and back, possibly losing precision.
 *
 * <p>A codec is named by its {@link #spec()}: {@code none} (float32, lossless), {@code fp16}
 * (IEEE 754 half precision), {@code int8} (blockwise affine quantisation to one byte) or
 * {@code topk:RATIO} (only the largest {@code RATIO} of the values by magnitude). The number of
 * values is framing and travels outside the payload; {@link #encodedBytes(int)} gives the exact
 * payload size for it, so a receiver can check a payload before decoding it. Multi-byte numbers
 * are little-endian. Codecs are immutable and thread-safe, and equal when their specs are equal.
 */
public interface Codec {

    /** Float32 values as they are: {@code 4n} bytes, lossless. */
    Codec NONE = new Float32Codec();

    /**
     * Returns the codec named by {@code spec}.
     *
     * @param spec {@code none}, {@code fp16}, {@code int8} or {@code topk:RATIO} with RATIO a plain
     *     decimal (such as {@code 0.01}; no exponent) in {@code (0, 1]}; case does not matter and
     *     surrounding whitespace is ignored
     * @throws InvalidInputException if {@code spec} is none of these
     */
    static Codec parse(String spec) {
        String trimmed = spec.strip();
        String name = trimmed.toLowerCase(Locale.ROOT);
        return switch (name) {
            case "none" -> NONE;
            case "fp16" -> new Float16Codec();
            case "int8" -> new Int8Codec();
            default -> parseTopK(trimmed, name);
        };
    }

    private static Codec parseTopK(String trimmed, String name) {
        Matcher m = TopKCodec.SPEC.matcher(name);
        if (m.matches()) {
            BigDecimal ratio = new BigDecimal(m.group(1));
            if (ratio.signum() > 0 && ratio.compareTo(BigDecimal.ONE) <= 0) {
                return new TopKCodec(ratio);
            }
        }
        throw new InvalidInputException(
                "compression '" + trimmed + "' is not one of none, fp16, int8, topk:RATIO (0 < RATIO <= 1)");
    }

    /**
     * Returns the canonical name, which {@link #parse} turns back into an equal codec.
     *
     * @return {@code none}, {@code fp16}, {@code int8} or {@code topk:RATIO} with the ratio written
     *     without trailing zeros (e.g. {@code topk:0.01})
     */
    String spec();

    /**
     * Returns the exact length of {@link #encode} for {@code n} values.
     *
     * @param n the number of values, {@code >= 0}
     * @throws InvalidInputException if {@code n} is negative or the payload would not fit in a
     *     byte array
     */
    int encodedBytes(int n);

    /**
     * Returns the payload for {@code values}.
     *
     * @param values finite values (the caller guarantees it); not modified or kept
     * @return a new array of {@link #encodedBytes(int) encodedBytes(values.length)} bytes
     */
    byte[] encode(float[] values);

    /**
     * Returns the values a payload stands for.
     *
     * @param payload bytes from {@link #encode} of the same codec
     * @param n the number of values encoded
     * @return {@code n} finite values
     * @throws InvalidInputException if the payload has the wrong length for {@code n} or does not
     *     decode to finite values
     */
    float[] decode(byte[] payload, int n);

    /**
     * Returns whether decoding gives back exactly the values encoded for every input.
     *
     * @return {@code true} only for {@link #NONE}
     */
    boolean lossless();
}
