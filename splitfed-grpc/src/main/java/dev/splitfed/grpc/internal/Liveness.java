package dev.splitfed.grpc.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Which clients are connected: a client is alive while it waits in a long poll, or when it was
 * heard from (joined, polled or sent a heartbeat) less than {@code timeout} ago. Not thread-safe;
 * its owner calls it under one lock.
 */
public final class Liveness {

    private final LongSupplier clock;
    private final long timeout;
    private final Map<Integer, Long> lastSeen = new HashMap<>();
    private final Map<Integer, Integer> polling = new HashMap<>();

    /**
     * Creates a tracker that has heard from nobody.
     *
     * @param clock the time in nanoseconds ({@code System::nanoTime}; tests move it by hand)
     * @param timeout how long a client not heard from stays alive
     */
    Liveness(LongSupplier clock, Duration timeout) {
        this.clock = clock;
        this.timeout = timeout.toNanos();
    }

    /** Records that a client was heard from now. */
    void heard(int clientId) {
        lastSeen.put(clientId, clock.getAsLong());
    }

    /** Records that a client began a long poll: it is alive until the poll ends. */
    void pollStarted(int clientId) {
        polling.merge(clientId, 1, Integer::sum);
        heard(clientId);
    }

    /** Records that a client's long poll ended (answered or broken off). */
    void pollEnded(int clientId) {
        polling.merge(clientId, -1, Integer::sum);
        heard(clientId);
    }

    /** Returns whether a client is connected: polling now, or heard from within the timeout. */
    boolean alive(int clientId) {
        Long seen = lastSeen.get(clientId);
        return polling.getOrDefault(clientId, 0) > 0 || (seen != null && clock.getAsLong() - seen < timeout);
    }
}
