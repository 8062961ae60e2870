package dev.splitfed.report;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The most memory this process has used: the Java heap at its fullest (just before a collection,
 * or now), and the resident set (heap, engine tensors and code) as the operating system counts it.
 */
public final class PeakMemory {

    private static final AtomicLong HEAP = new AtomicLong();

    static {
        NotificationListener listener = (notification, handback) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                GarbageCollectionNotificationInfo info =
                        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long used = info.getGcInfo().getMemoryUsageBeforeGc().values().stream()
                        .mapToLong(MemoryUsage::getUsed).sum();
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
     * Returns the largest heap occupancy seen since the process started watching (the first call
     * to this class), in bytes. Collections before then are not seen.
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

    /** Starts watching collections, if not yet watching. */
    public static void watch() {
        heapBytes();
    }
}
