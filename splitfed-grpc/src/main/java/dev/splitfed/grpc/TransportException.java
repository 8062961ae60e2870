package dev.splitfed.grpc;

/** A call to another role failed on the way: the peer is unreachable, gone, or too slow. */
public final class TransportException extends RuntimeException {

    /**
     * Creates the exception.
     *
     * @param message what failed and why
     * @param cause the gRPC failure
     */
    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
