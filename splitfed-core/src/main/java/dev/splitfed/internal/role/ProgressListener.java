package dev.splitfed.internal.role;

/** Told when a training batch completes, to drive a progress display. */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores everything. */
    ProgressListener NONE = () -> {};

    /** One batch finished. */
    void batchDone();
}
