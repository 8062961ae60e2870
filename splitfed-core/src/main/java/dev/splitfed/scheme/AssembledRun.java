package dev.splitfed.scheme;

import dev.splitfed.internal.scheme.ClientPool;
import dev.splitfed.internal.scheme.Evaluation;
import dev.splitfed.internal.scheme.Roles;
import dev.splitfed.cost.CostModel;
import dev.splitfed.data.Dataset;
import dev.splitfed.hetero.TimeModel;
import dev.splitfed.model.Architecture;
import dev.splitfed.internal.transport.TrafficMeter;

/**
 * A run as {@link Simulation} assembled it, which a round driver trains: the settings and the
 * network, the clients' workloads, the roles and the clients, and what measures them.
 *
 * @param config the run's settings
 * @param architecture the network
 * @param cut the cut
 * @param test the test set the global model is evaluated on after each round
 * @param workload each client's samples and batches
 * @param roles the fed server and (for split schemes) the main server
 * @param clients the clients, here or across a network
 * @param meter the payload bytes the clients send and receive
 * @param cost the bytes the cost model predicts
 * @param time how long each client takes in simulated time, or null for a run without it
 * @param listener told of progress and of each round's metrics
 */
record AssembledRun(SimulationConfig config, Architecture architecture, int cut, Dataset test, ClientWorkload workload,
        Roles roles, ClientPool clients, TrafficMeter meter, CostModel cost, TimeModel time,
        SimulationListener listener) {

    /** Evaluates the network with the given whole weight vector on the test set. */
    Evaluation evaluate(float[] weights) {
        return Evaluation.of(architecture, cut, weights, test);
    }
}
