package dev.splitfed.aggregate;

/**
 * How the server moves the global weights by a round's aggregated update. Plain FedAvg adds it;
 * adaptive federated optimizers (Reddi et al. 2021) treat its negation as a pseudo-gradient.
 * An optimizer may keep state from round to round.
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
