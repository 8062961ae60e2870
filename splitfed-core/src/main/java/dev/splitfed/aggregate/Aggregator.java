package dev.splitfed.aggregate;

import java.util.List;

/** Combines the clients' weight vectors of one round into the next global vector. */
public interface Aggregator {

    /**
     * Returns the aggregate of {@code updates}.
     *
     * @param updates at least one update, all vectors of the same length
     * @return a new vector of that length
     */
    float[] aggregate(List<ClientUpdate> updates);
}
