package dev.splitfed.aggregate;

import dev.splitfed.internal.aggregate.Aggregation;
import java.util.List;

/**
 * Combines the clients' updates of one round ({@link ClientUpdate#delta()}: trained weights minus
 * the weights each started from) into one update, which the server's optimizer then applies to the
 * global weights ({@link Aggregation}).
 */
public interface Aggregator {

    /**
     * Returns the aggregate of {@code updates}.
     *
     * @param updates at least one update, all vectors of the same length
     * @return a new vector of that length
     */
    float[] aggregate(List<ClientUpdate> updates);
}
