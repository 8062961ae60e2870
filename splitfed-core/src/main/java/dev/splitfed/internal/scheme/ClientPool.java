package dev.splitfed.internal.scheme;

import dev.splitfed.internal.role.ClientReport;
import java.util.List;
import java.util.Map;

/** The clients of a run as the round driver sees them: in this process, or across a network. */
public interface ClientPool extends AutoCloseable {

    /**
     * Has the round's participants train, in the given order (one after another where the scheme
     * serves clients in turn).
     *
     * @param round the round
     * @param order the participants, in the order the main server serves them
     * @return the reports of the clients that completed the round; one that dropped out has none
     */
    default List<ClientReport> train(int round, List<Integer> order) {
        return train(round, order, Map.of());
    }

    /**
     * Has the round's participants train, in the given order, some of them only part of their
     * round (stragglers before a deadline).
     *
     * @param round the round (under FedBuff: the client's job number)
     * @param order the participants, in the order the main server serves them
     * @param batches the most batches a participant may train, {@code >= 1}; one not listed trains all
     * @return the reports of the clients that completed the round; one that dropped out has none
     */
    List<ClientReport> train(int round, List<Integer> order, Map<Integer, Long> batches);

    /**
     * Runs the steps of a round that every participant must finish before any trains: secure
     * aggregation's key setup (Bonawitz et al. 2017, AdvertiseKeys and ShareKeys), when the run
     * has it. By default there are none.
     *
     * @param round the round, already begun on the servers
     * @param participants the selected clients
     * @return the participants ready to train; the others dropped out
     */
    default List<Integer> beforeTraining(int round, List<Integer> participants) {
        return participants;
    }

    /**
     * Runs the steps of a round that follow everyone's training, before the servers close it:
     * secure aggregation's Unmasking, when the run has it. By default there are none.
     *
     * @param round the round
     * @param completed the clients that completed the round's training
     */
    default void afterTraining(int round, List<Integer> completed) {}

    /**
     * Returns the head a FedPer client keeps to itself as it stands, for the simulation to evaluate
     * the client's own model; by default null: the pool cannot see it (remote clients) or the run
     * keeps no personal heads.
     *
     * @param clientId the client
     * @return a copy of its head, or null
     */
    default float[] personalHead(int clientId) {
        return null;
    }

    /**
     * Writes the batch-normalisation values a FedBN client keeps to itself over a vector of the
     * client's layout, for the simulation to evaluate the client's own model; by default null: the
     * pool cannot see them (remote clients) or the run keeps none.
     *
     * @param clientId the client
     * @param clientWeights a vector of the client's layout (fl: the whole model), not changed
     * @return a changed copy, or null
     */
    default float[] localBn(int clientId, float[] clientWeights) {
        return null;
    }

    @Override
    void close();
}
