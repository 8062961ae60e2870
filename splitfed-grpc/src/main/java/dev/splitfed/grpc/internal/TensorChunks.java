package dev.splitfed.grpc.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.splitfed.InvalidInputException;
import dev.splitfed.compress.Codec;
import dev.splitfed.grpc.proto.DType;
import dev.splitfed.grpc.proto.TensorHeader;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts an encoded tensor into chunks for the wire and puts it back together, refusing anything
 * that does not add up: a header that is not a float32 tensor, a codec other than the run's, more
 * bytes than the shape and codec announce, fewer (a truncated stream), an announced size above the
 * limit, or a payload the codec cannot decode (NaN or infinite values, bad indices).
 */
public final class TensorChunks {

    /** Bytes per chunk: 1 MiB, well under gRPC's 4 MiB message limit. */
    static final int BYTES_PER_CHUNK = 1 << 20;

    private TensorChunks() {}

    /** Returns the header of a tensor of {@code shape} whose values are encoded with {@code codec}. */
    static TensorHeader header(int[] shape, Codec codec) {
        TensorHeader.Builder header = TensorHeader.newBuilder().setDtype(DType.FLOAT32).setCodec(codec.spec());
        for (int d : shape) {
            header.addShape(d);
        }
        return header.build();
    }

    /**
     * Returns the payload in slices of at most {@link #BYTES_PER_CHUNK}; at least one, maybe
     * empty. The slices share the array, which the caller must not change afterwards.
     */
    static List<ByteString> split(byte[] payload) {
        List<ByteString> chunks = new ArrayList<>();
        int from = 0;
        do {
            int n = Math.min(BYTES_PER_CHUNK, payload.length - from);
            chunks.add(UnsafeByteOperations.unsafeWrap(payload, from, n));
            from += n;
        } while (from < payload.length);
        return chunks;
    }

    /**
     * Collects the chunks of one announced tensor. Memory grows with the bytes that arrive, not
     * with what a header announces, so a lying header cannot make the receiver allocate its limit.
     */
    static final class Assembler {
        private final int[] shape;
        private final int values;
        private final Codec codec;
        private final int expected;
        private final String what;
        private byte[] bytes;
        private int filled;

        /**
         * Starts a tensor.
         *
         * @param header the tensor's header as it arrived
         * @param codec the codec the receiver accepts
         * @param maxValues the most values this receiver accepts
         * @param what names the tensor in error messages, e.g. "client 3's weights"
         */
        Assembler(TensorHeader header, Codec codec, long maxValues, String what) {
            if (header.getDtype() != DType.FLOAT32 || header.getShapeCount() < 1) {
                throw invalid(what + " are not a float32 tensor");
            }
            String spec = header.getCodec().isEmpty() ? Codec.NONE.spec() : header.getCodec();
            if (!spec.equals(codec.spec())) {
                throw invalid(what + " are encoded as " + spec + ", but this run uses " + codec.spec());
            }
            this.shape = header.getShapeList().stream().mapToInt(Integer::intValue).toArray();
            long n = 1;
            for (int d : shape) {
                if (d < 1) {
                    throw invalid(what + " have a dimension < 1: " + Arrays.toString(shape));
                }
                // Past the limit the product only has to stay past it.
                n = n > maxValues ? n : n * d;
            }
            if (n > maxValues) {
                throw invalid(what + " announce " + n + " values; at most " + maxValues + " are accepted");
            }
            this.values = (int) n;
            this.codec = codec;
            this.expected = codec.encodedBytes(values);
            this.what = what;
            this.bytes = new byte[Math.min(expected, BYTES_PER_CHUNK)];
        }

        /** Returns the shape the header announced. */
        int[] shape() {
            return shape.clone();
        }

        /** Returns the number of values the header announced. */
        int values() {
            return values;
        }

        void add(ByteString chunk) {
            if (chunk.size() > expected - filled) {
                throw invalid(what + " carry more than the " + expected + " bytes their shape and codec announce");
            }
            if (filled + chunk.size() > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(expected, Math.max(2L * bytes.length, filled + chunk.size())));
            }
            chunk.copyTo(bytes, filled);
            filled += chunk.size();
        }

        /** Returns whether every announced byte has arrived. */
        boolean complete() {
            return filled == expected;
        }

        /** Returns the encoded payload, complete. */
        byte[] payload() {
            if (filled != expected) {
                throw invalid(what + " are truncated: " + filled + " of " + expected + " bytes arrived");
            }
            return bytes;
        }

        /** Returns the decoded values, complete and finite. */
        float[] decode() {
            try {
                return codec.decode(payload(), values);
            } catch (InvalidInputException e) {
                throw invalid(what + " do not decode: " + e.getMessage());
            }
        }
    }

    public static RuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
