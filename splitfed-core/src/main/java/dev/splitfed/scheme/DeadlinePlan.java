package dev.splitfed.scheme;

import dev.splitfed.hetero.Stragglers;
import dev.splitfed.hetero.TimeModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the deadline makes of a synchronous round: the batch budgets of the clients that train
 * only part of their round, the stragglers whose work is discarded, and the round's simulated
 * seconds, {@code min(deadline, slowest participant)}.
 *
 * @param budgets the most batches of the clients that cannot train all of theirs
 * @param stragglers the clients dropped for missing the deadline
 * @param seconds the round's simulated seconds
 */
record DeadlinePlan(Map<Integer, Long> budgets, List<Integer> stragglers, double seconds) {

    /** The plan of a round without simulated time: everyone trains everything. */
    static final DeadlinePlan UNTIMED = new DeadlinePlan(Map.of(), List.of(), 0);

    /**
     * Plans a round in simulated time.
     *
     * @param config the run's settings: deadline, what stragglers do, and the scheme
     * @param time how long each client takes
     * @param workload each client's batches in a whole round
     * @param participants the round's clients
     * @return the round's budgets, stragglers and simulated seconds
     */
    static DeadlinePlan of(
            SimulationConfig config, TimeModel time, ClientWorkload workload, List<Integer> participants) {
        Map<Integer, Long> budgets = new HashMap<>();
        List<Integer> stragglers = new ArrayList<>();
        double seconds = 0;
        double deadline = config.deadline();
        for (int k : participants) {
            long full = workload.fullBatches(k);
            double t = time.seconds(k, full);
            if (deadline > 0 && t > deadline) {
                seconds = deadline;
                long fit = time.budget(k, full, deadline);
                if (config.stragglers() == Stragglers.PARTIAL && fit > 0) {
                    budgets.put(k, fit);
                } else {
                    stragglers.add(k);
                    // sflv2's one W_S keeps the batches a straggler sent before the deadline, so they
                    // are trained; elsewhere its work is discarded whole, so it need not train.
                    if (config.scheme() == Scheme.SFLV2 && fit > 0) {
                        budgets.put(k, fit);
                    }
                }
            } else {
                seconds = Math.max(seconds, t);
            }
        }
        return new DeadlinePlan(Map.copyOf(budgets), List.copyOf(stragglers), seconds);
    }

    /** Returns whether the client does not train at all: a straggler with nothing to keep. */
    boolean skipped(int clientId) {
        return stragglers.contains(clientId) && !budgets.containsKey(clientId);
    }

    /** Returns the batches a participant trains this round: its budget, all of them, or none if skipped. */
    long batches(int clientId, ClientWorkload workload) {
        return skipped(clientId) ? 0 : budgets.getOrDefault(clientId, workload.fullBatches(clientId));
    }
}
