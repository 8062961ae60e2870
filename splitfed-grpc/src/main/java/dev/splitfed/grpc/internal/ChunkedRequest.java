package dev.splitfed.grpc.internal;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;

/**
 * The receiving side of a client stream that carries tensors, one after another: each starts with
 * a header chunk and is complete when the bytes its header announces have arrived. It refuses a
 * tensor without a header, a header in the middle of a tensor, bytes that do not add up, or (for
 * a single-tensor stream) a second tensor, answers the refusal with a status, and ignores the rest
 * of a refused stream. Subclasses read the headers and act on each complete tensor.
 *
 * @param <C> the chunk message
 */
public abstract class ChunkedRequest<C> implements StreamObserver<C> {

    private final StreamObserver<?> reply;
    private final String noun;
    private final boolean many;
    private TensorChunks.Assembler values;
    private TensorChunks.Assembler single;
    private int received;
    private boolean failed;
    private long bytes;
    private boolean finishing;

    /**
     * Starts receiving.
     *
     * @param reply where a refusal goes
     * @param noun what one tensor is, for error messages, e.g. {@code "submission"}
     * @param many whether the stream may carry more than one tensor
     */
    ChunkedRequest(StreamObserver<?> reply, String noun, boolean many) {
        this.reply = reply;
        this.noun = noun;
        this.many = many;
    }

    /** Returns whether a chunk carries a header. */
    abstract boolean hasHeader(C chunk);

    /** Returns a chunk's bytes. */
    abstract ByteString values(C chunk);

    /** Reads and checks a tensor's header chunk (identity included) and returns where its bytes go. */
    abstract TensorChunks.Assembler start(C first);

    /** Acts on a complete tensor: at once in a stream of many, at the end of a single-tensor stream. */
    abstract void finish(TensorChunks.Assembler tensor);

    /** Answers the call once the client has sent everything; called only after a tensor arrived. */
    abstract void end();

    /** Called once if the stream fails (refused, or broken off by the client), after its last tensor. */
    void failed() {}

    /**
     * Called once when the stream is refused before the receiver took its content (a bad header, a
     * tensor longer or shorter than announced), with the payload bytes that had arrived; a refusal
     * by the receiver itself ({@link #finish}) is the receiver's to count.
     *
     * @param bytes payload bytes received
     */
    void refused(long bytes) {}

    @Override
    public final void onNext(C chunk) {
        if (failed) {
            return;
        }
        try {
            ByteString payload = values(chunk);
            bytes += payload.size();
            if (values == null) {
                if (!hasHeader(chunk)) {
                    throw TensorChunks.invalid("a " + noun + " must start with a header");
                }
                if (received > 0 && !many) {
                    throw TensorChunks.invalid("the stream carries one " + noun);
                }
                values = start(chunk);
            } else if (hasHeader(chunk)) {
                throw TensorChunks.invalid("a " + noun + " carries one header, in its first chunk");
            }
            values.add(payload);
            if (values.complete()) {
                TensorChunks.Assembler done = values;
                values = null;
                received++;
                if (many) {
                    finishing = true;
                    finish(done);
                    finishing = false;
                } else {
                    // A single tensor counts only once the client has sent nothing after it.
                    single = done;
                }
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    @Override
    public final void onError(Throwable t) {
        if (!failed) {
            failed = true;
            failed();
        }
    }

    @Override
    public final void onCompleted() {
        if (failed) {
            return;
        }
        try {
            if (values != null) {
                values.payload(); // throws: the last tensor is truncated
            }
            if (received == 0) {
                throw TensorChunks.invalid("an empty " + noun);
            }
            if (single != null) {
                finishing = true;
                finish(single);
            }
            end();
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void fail(RuntimeException e) {
        failed = true;
        if (!finishing) {
            refused(bytes);
        }
        reply.onError(Statuses.toStatus(e));
        failed();
    }
}
