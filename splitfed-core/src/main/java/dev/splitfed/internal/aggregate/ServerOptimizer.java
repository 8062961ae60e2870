package dev.splitfed.internal.aggregate;

import dev.splitfed.InvalidInputException;

/**
 * How the server moves the global weights by a round's aggregated update. Plain FedAvg adds it;
 * adaptive federated optimizers (Reddi et al. 2021) treat its negation as a pseudo-gradient.
 * An optimizer may keep state from round to round, which {@link #state()} exports for a checkpoint
 * and {@link #restore} takes back, so that a resumed run steps exactly as an uninterrupted one.
 */
public interface ServerOptimizer {

    /**
     * Returns the next global weights.
     *
     * @param global the current global weights; not modified
     * @param update the round's aggregated update
     * @return a new vector
     */
    float[] step(float[] global, float[] update);

    /**
     * Returns a copy of the state carried from round to round, flat; empty for an optimizer without
     * state or one that has not stepped yet.
     */
    default float[] state() {
        return new float[0];
    }

    /**
     * Replaces the state with one {@link #state()} returned; an empty one starts afresh.
     *
     * @param state the state
     * @throws InvalidInputException if it does not fit this optimizer
     */
    default void restore(float[] state) {
        if (state.length != 0) {
            throw new InvalidInputException("a server-optimizer state of " + state.length
                    + " values was given to plain FedAvg, which keeps none");
        }
    }

    /** Returns the optimizer of plain FedAvg (McMahan et al. 2017): {@code global + update}. */
    static ServerOptimizer plain() {
        return (global, update) -> {
            float[] next = new float[global.length];
            for (int i = 0; i < next.length; i++) {
                next[i] = global[i] + update[i];
            }
            return next;
        };
    }
}
