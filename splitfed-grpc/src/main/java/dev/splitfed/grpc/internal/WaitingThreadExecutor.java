package dev.splitfed.grpc.internal;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs work on the thread that is waiting for its outcome: tasks queue up, and a thread that
 * {@link #await}s a future runs them until the future completes.
 *
 * <p>Why: in a simulation over loopback gRPC, client and main server share one process. PyTorch's
 * OpenMP runtime gives every thread that computes its own team of workers, and with more workers
 * than cores it stops spinning and sleeps between parallel regions, which costs milliseconds a
 * batch on a small machine. Running the main server's calls on the waiting client's thread keeps
 * one team, as the in-process transport does, while every byte still crosses TLS, HTTP/2 and
 * gRPC.
 *
 * <p>Meant for one waiting thread at a time (clients of a simulation train one after another);
 * another waiter would still finish, since waiters look at their future at least every
 * {@value #SLICE_MILLIS} ms.
 */
public final class WaitingThreadExecutor implements Executor {

    private static final Runnable WAKE_UP = () -> {};
    private static final long SLICE_MILLIS = 50;

    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /**
     * Runs queued tasks on this thread until {@code future} completes or the time is up.
     *
     * @return the future, complete
     * @throws TimeoutException if it did not complete within {@code millis}
     * @throws InterruptedException if the thread was interrupted while waiting
     */
    <T> CompletableFuture<T> await(CompletableFuture<T> future, long millis)
            throws TimeoutException, InterruptedException {
        future.whenComplete((value, failure) -> tasks.add(WAKE_UP));
        long start = System.nanoTime();
        long limit = TimeUnit.MILLISECONDS.toNanos(millis);
        while (!future.isDone()) {
            long left = limit - (System.nanoTime() - start);
            if (left <= 0) {
                throw new TimeoutException();
            }
            Runnable task = tasks.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS)), TimeUnit.NANOSECONDS);
            if (task != null) {
                task.run();
            }
        }
        return future;
    }
}
