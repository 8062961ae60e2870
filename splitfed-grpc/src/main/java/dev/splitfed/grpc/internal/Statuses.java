package dev.splitfed.grpc.internal;

import dev.splitfed.grpc.TransportException;
import dev.splitfed.InvalidInputException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps between role exceptions and gRPC statuses, so a refusal keeps its one sentence across the wire. */
public final class Statuses {

    private static final Logger LOG = LoggerFactory.getLogger(Statuses.class);

    private Statuses() {}

    /** Returns the status a service answers with for a failure. */
    public static StatusRuntimeException toStatus(Throwable t) {
        if (t instanceof StatusRuntimeException s) {
            return s;
        }
        if (t instanceof InvalidInputException) {
            return Status.INVALID_ARGUMENT.withDescription(t.getMessage()).asRuntimeException();
        }
        LOG.error("internal failure while serving a call", t);
        return Status.INTERNAL.withDescription("internal error: " + t).asRuntimeException();
    }

    /**
     * Returns the exception a client adapter throws for a failed call: bad input (the caller's or
     * the server's) stays an {@link InvalidInputException}; anything else is a transport failure.
     */
    static RuntimeException fromStatus(String what, Throwable t) {
        Status status = Status.fromThrowable(t);
        String detail = status.getDescription() != null ? status.getDescription() : status.getCode().toString();
        return switch (status.getCode()) {
            case INVALID_ARGUMENT, PERMISSION_DENIED, FAILED_PRECONDITION, OUT_OF_RANGE ->
                    new InvalidInputException(what + " was refused: " + detail, t);
            default -> new TransportException(what + " failed: " + status.getCode() + " (" + detail + ")", t);
        };
    }
}
