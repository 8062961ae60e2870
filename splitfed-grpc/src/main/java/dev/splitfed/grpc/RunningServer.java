package dev.splitfed.grpc;

/** A server this process runs, such as a main server that a fed server elsewhere controls; close it to stop. */
public interface RunningServer extends AutoCloseable {

    /** Returns the port it listens on (the one chosen, when it was asked for port 0). */
    int port();

    /**
     * Waits until the server stops.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    void awaitTermination() throws InterruptedException;

    /** Stops serving. */
    @Override
    void close();
}
