package dev.splitfed.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the payload bytes that cross between clients and servers: up (client to server) and down
 * (server to client). Payload is float32 values, int32 labels and the scalars a message carries;
 * framing (shapes, ids, round numbers) is not counted.
 */
public final class TrafficMeter {

    private final LongAdder up = new LongAdder();
    private final LongAdder down = new LongAdder();

    /**
     * Records bytes sent by a client.
     *
     * @param bytes payload bytes, {@code >= 0}
     */
    public void up(long bytes) {
        up.add(bytes);
    }

    /**
     * Records bytes received by a client.
     *
     * @param bytes payload bytes, {@code >= 0}
     */
    public void down(long bytes) {
        down.add(bytes);
    }

    /** Returns the bytes sent by clients since the last {@link #reset}. */
    public long bytesUp() {
        return up.sum();
    }

    /** Returns the bytes received by clients since the last {@link #reset}. */
    public long bytesDown() {
        return down.sum();
    }

    /** Starts counting from zero. */
    public void reset() {
        up.reset();
        down.reset();
    }
}
