package dev.splitfed.grpc.internal;

import io.grpc.Status;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of refused calls: who (the certificate's subject, or a plaintext peer's address),
 * which method, and the reason the status carried. A peer that repeats a refused call is logged
 * once a minute per method and status, with how many repeats that minute held, so a hostile or
 * broken client cannot flood the log.
 *
 * <p>Logged under the logger {@code dev.splitfed.audit} at WARN, so operators can route it apart.
 */
public final class AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger("dev.splitfed.audit");
    /** Entries kept before those older than a window are dropped. */
    private static final int PRUNE_ABOVE = 10_000;

    private final long window;
    private final LongSupplier clock;
    private final Map<String, Entry> entries = new HashMap<>();
    private long logged;

    private static final class Entry {
        long since;
        long repeats;
    }

    /** Creates the log with one line per peer, method and status a minute. */
    public AuditLog() {
        this(Duration.ofMinutes(1), System::nanoTime);
    }

    AuditLog(Duration window, LongSupplier clock) {
        this.window = window.toNanos();
        this.clock = clock;
    }

    /**
     * Records a refused call, logging it unless the same peer had the same method refused with the
     * same status within the window.
     *
     * @param peer the certificate's common name, or a plaintext peer's address
     * @param method the method's name
     * @param status the status the call was closed with
     * @return whether a line was written
     */
    public synchronized boolean refused(String peer, String method, Status status) {
        long now = clock.getAsLong();
        String key = peer + '\n' + method + '\n' + status.getCode();
        Entry entry = entries.get(key);
        if (entry != null && now - entry.since < window) {
            entry.repeats++;
            return false;
        }
        long repeats = entry == null ? 0 : entry.repeats;
        if (entry == null) {
            if (entries.size() >= PRUNE_ABOVE) {
                entries.values().removeIf(e -> now - e.since >= window);
            }
            entry = new Entry();
            entries.put(key, entry);
        }
        entry.since = now;
        entry.repeats = 0;
        logged++;
        LOG.warn("refused {} from {}: {}{}{}", method, peer, status.getCode(),
                status.getDescription() == null ? "" : " (" + status.getDescription() + ")",
                repeats == 0 ? "" : "; " + repeats + " more such refusals since the last line");
        return true;
    }

    /** Returns the lines written so far. */
    public synchronized long lines() {
        return logged;
    }
}
