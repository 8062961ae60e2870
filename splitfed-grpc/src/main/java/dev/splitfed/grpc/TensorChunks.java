package dev.splitfed.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a float32 vector into little-endian byte chunks for the wire and puts it back together,
 * refusing anything that does not add up: more values than announced, fewer (a truncated stream),
 * a chunk that splits a value, NaN or infinite values, or an announced size above the limit.
 */
final class TensorChunks {

    /** Values per chunk: 1 MiB of float32, well under gRPC's 4 MiB message limit. */
    static final int VALUES_PER_CHUNK = 1 << 18;

    private TensorChunks() {}

    /** Returns the values as chunks of at most {@link #VALUES_PER_CHUNK}; at least one, maybe empty. */
    static List<ByteString> split(float[] values) {
        List<ByteString> chunks = new ArrayList<>();
        for (int from = 0; from == 0 || from < values.length; from += VALUES_PER_CHUNK) {
            int n = Math.min(VALUES_PER_CHUNK, values.length - from);
            ByteBuffer buffer = ByteBuffer.allocate(n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asFloatBuffer().put(values, from, n);
            chunks.add(ByteString.copyFrom(buffer.array()));
            if (n == 0) {
                break;
            }
        }
        return chunks;
    }

    /**
     * Collects the chunks of one announced vector. Memory grows with the values that arrive, not
     * with what a header announces, so a lying header cannot make the receiver allocate its limit.
     */
    static final class Assembler {
        private final int announced;
        private float[] values;
        private int filled;
        private final String what;

        /**
         * Starts a vector.
         *
         * @param announced the number of values the header announces
         * @param limit the most this receiver accepts
         * @param what names the vector in error messages, e.g. "client 3's weights"
         */
        Assembler(long announced, long limit, String what) {
            if (announced < 0 || announced > limit) {
                throw Status.INVALID_ARGUMENT
                        .withDescription(what + " announce " + announced + " values; at most " + limit + " are accepted")
                        .asRuntimeException();
            }
            this.announced = (int) announced;
            this.values = new float[(int) Math.min(announced, VALUES_PER_CHUNK)];
            this.what = what;
        }

        void add(ByteString chunk) {
            if (chunk.size() % Float.BYTES != 0) {
                throw invalid(what + " arrived in a chunk of " + chunk.size() + " bytes, not a whole number of float32 values");
            }
            int n = chunk.size() / Float.BYTES;
            if (n > announced - filled) {
                throw invalid(what + " carry more than the " + announced + " values announced");
            }
            if (filled + n > values.length) {
                values = Arrays.copyOf(values, (int) Math.min(announced, Math.max(2L * values.length, filled + n)));
            }
            chunk.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values, filled, n);
            for (int i = filled; i < filled + n; i++) {
                if (!Float.isFinite(values[i])) {
                    throw invalid(what + " hold a NaN or infinite value");
                }
            }
            filled += n;
        }

        float[] finish() {
            if (filled != announced) {
                throw invalid(what + " are truncated: " + filled + " of " + announced + " values arrived");
            }
            return values.length == announced ? values : Arrays.copyOf(values, announced);
        }
    }

    static RuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
