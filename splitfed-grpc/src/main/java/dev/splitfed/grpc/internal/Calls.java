package dev.splitfed.grpc.internal;

import dev.splitfed.grpc.TransportException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Waits for an asynchronous call, turning its failure into the role exception a caller expects. */
public final class Calls {

    private Calls() {}

    /**
     * Sends {@code messages} on a client-streaming call, with flow control, and waits for the
     * single answer.
     *
     * @param start opens the call with the given response observer (an async stub's method)
     * @param messages what to send
     * @param what names the call in errors
     * @return the answer
     */
    static <Q, R> R stream(Function<StreamObserver<R>, StreamObserver<Q>> start, List<Q> messages, String what) {
        CompletableFuture<R> done = new CompletableFuture<>();
        start.apply(new ClientResponseObserver<Q, R>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<Q> requests) {
                new FlowControlledSender<>(requests).queue(messages.iterator());
            }

            @Override
            public void onNext(R value) {
                done.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        });
        return await(done, what);
    }

    /**
     * Waits at most {@code millis} for an answer, running {@code runner}'s work meanwhile if given.
     *
     * @throws TimeoutException if none came in time
     */
    static <T> T await(CompletableFuture<T> call, long millis, String what, WaitingThreadExecutor runner)
            throws TimeoutException {
        try {
            return runner != null ? runner.await(call, millis).get() : call.get(millis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw Statuses.fromStatus(what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException(what + " was interrupted", e);
        }
    }

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
