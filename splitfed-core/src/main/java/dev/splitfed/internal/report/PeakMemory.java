package dev.splitfed.internal.report;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The most memory this process has used: the Java heap at its fullest (just before a collection,
 * or now), and the resident set (heap, engine tensors and code) as the operating system counts it.
 */
public final class PeakMemory {

    private static final AtomicLong HEAP = new AtomicLong();
    private static final Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());

    static {
        NotificationListener listener = (notification, handback) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                GarbageCollectionNotificationInfo info =
                        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long used = info.getGcInfo().getMemoryUsageBeforeGc().entrySet().stream()
                        .filter(pool -> HEAP_POOLS.contains(pool.getKey()))
                        .mapToLong(pool -> pool.getValue().getUsed()).sum();
                HEAP.accumulateAndGet(used, Math::max);
            }
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
            }
        }
    }

    private PeakMemory() {}

    /**
     * Returns the largest heap occupancy seen since the last {@link #restart} (or the first use of
     * this class), in bytes.
     */
    public static long heapBytes() {
        long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return HEAP.accumulateAndGet(now, Math::max);
    }

    /** Returns the process's peak resident set in bytes (Linux {@code VmHWM}), or -1 where it is not known. */
    public static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Starts the heap's peak afresh (a run's own peak, when a process runs several). */
    public static void restart() {
        HEAP.set(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
}
