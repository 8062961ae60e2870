package dev.splitfed.grpc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Waits for an asynchronous call, turning its failure into the role exception a caller expects. */
final class Calls {

    private Calls() {}

    static <T> T await(CompletableFuture<T> call, String what) {
        try {
            return call.get();
        } catch (ExecutionException e) {
            throw Statuses.fromStatus(what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException(what + " was interrupted", e);
        }
    }
}
