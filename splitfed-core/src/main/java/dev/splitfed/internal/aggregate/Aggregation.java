package dev.splitfed.internal.aggregate;

import dev.splitfed.aggregate.Aggregator;
import dev.splitfed.aggregate.ClientUpdate;
import java.util.List;

/**
 * What a server does with a round's updates: an {@link Aggregator} combines them into one update,
 * and a {@link ServerOptimizer} moves the global weights by it. A round without updates leaves
 * the weights as they were (and the optimizer's state untouched).
 */
public final class Aggregation {

    private final Aggregator aggregator;
    private final ServerOptimizer optimizer;

    /**
     * Creates the aggregation.
     *
     * @param aggregator how the updates are combined
     * @param optimizer how the combined update moves the weights
     */
    public Aggregation(Aggregator aggregator, ServerOptimizer optimizer) {
        this.aggregator = aggregator;
        this.optimizer = optimizer;
    }

    /** Returns plain FedAvg: the sample-weighted mean of the updates, added to the weights. */
    public static Aggregation fedAvg() {
        return new Aggregation(new FedAvg(), ServerOptimizer.plain());
    }

    /**
     * Returns the optimizer that applies the aggregate, for a server that aggregates another way
     * (DP-FedAvg's noised sum, secure aggregation's unmasked mean) and for its checkpointed state.
     */
    public ServerOptimizer optimizer() {
        return optimizer;
    }

    /**
     * Returns the next global weights.
     *
     * @param global the current global weights; not modified
     * @param updates the round's updates, possibly none
     * @return a new vector
     */
    public float[] apply(float[] global, List<ClientUpdate> updates) {
        if (updates.isEmpty()) {
            return global.clone();
        }
        return optimizer.step(global, aggregator.aggregate(updates));
    }
}
