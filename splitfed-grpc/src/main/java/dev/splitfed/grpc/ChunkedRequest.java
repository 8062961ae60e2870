package dev.splitfed.grpc;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;

/**
 * The receiving side of a client stream that carries one tensor: a header in the first chunk,
 * values in every chunk. It refuses a stream without a header, with a second header, or with
 * values that do not add up, answers the refusal with a status, and ignores the rest of a refused
 * stream. Subclasses read the header and act on the complete tensor.
 *
 * @param <C> the chunk message
 */
abstract class ChunkedRequest<C> implements StreamObserver<C> {

    private final StreamObserver<?> reply;
    private final String noun;
    private TensorChunks.Assembler values;
    private boolean failed;

    /**
     * Starts receiving.
     *
     * @param reply where a refusal goes
     * @param noun what the stream is, for error messages, e.g. {@code "submission"}
     */
    ChunkedRequest(StreamObserver<?> reply, String noun) {
        this.reply = reply;
        this.noun = noun;
    }

    /** Returns whether a chunk carries the header. */
    abstract boolean hasHeader(C chunk);

    /** Returns a chunk's values. */
    abstract ByteString values(C chunk);

    /** Reads and checks the first chunk's header (identity included) and returns where its values go. */
    abstract TensorChunks.Assembler start(C first);

    /** Acts on the complete tensor and answers the call. */
    abstract void finish(float[] tensor);

    @Override
    public final void onNext(C chunk) {
        if (failed) {
            return;
        }
        try {
            if (values == null) {
                if (!hasHeader(chunk)) {
                    throw TensorChunks.invalid("a " + noun + " must start with a header");
                }
                values = start(chunk);
            } else if (hasHeader(chunk)) {
                throw TensorChunks.invalid("a " + noun + " carries one header, in its first chunk");
            }
            values.add(values(chunk));
        } catch (RuntimeException e) {
            failed = true;
            reply.onError(Statuses.toStatus(e));
        }
    }

    @Override
    public final void onError(Throwable t) {
        failed = true;
    }

    @Override
    public final void onCompleted() {
        if (failed) {
            return;
        }
        try {
            if (values == null) {
                throw TensorChunks.invalid("an empty " + noun);
            }
            finish(values.finish());
        } catch (RuntimeException e) {
            reply.onError(Statuses.toStatus(e));
        }
    }
}
