package dev.splitfed.scheme;

/** Follows a simulation as it runs; every method has an empty default. */
public interface SimulationListener {

    /**
     * The run is set up and about to train.
     *
     * @param plan what will be trained, by whom, on what
     */
    default void started(SimulationPlan plan) {}

    /**
     * A round begins.
     *
     * @param round the round, from 1
     * @param batches the number of training batches the round will run
     */
    default void roundStarted(int round, long batches) {}

    /** One training batch finished. */
    default void batchDone() {}

    /**
     * A round finished and was evaluated.
     *
     * @param metrics the round's figures
     * @param checkpoint the state from which the run can continue after this round
     */
    default void roundFinished(RoundMetrics metrics, Checkpoint checkpoint) {}
}
