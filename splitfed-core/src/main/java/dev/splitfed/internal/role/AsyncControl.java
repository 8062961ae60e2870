package dev.splitfed.internal.role;

/**
 * A server under asynchronous buffered aggregation (FedBuff; Nguyen et al. 2022) as the driver
 * sees it: there are no rounds, but jobs. A client starts a job from the current global weights,
 * hands in when it is done, its update is buffered, and the driver has the server take a step once
 * enough updates are buffered. A job that fails is ended with {@link RoundControl#discard}.
 */
public interface AsyncControl {

    /**
     * Starts a client's job: the client will train from the current global weights, and name the
     * job in its messages in place of a round.
     *
     * @param clientId the client
     * @param job the client's job number, from 1, one more than its previous one
     */
    void start(int clientId, int job);

    /**
     * Buffers the work of a client whose job is done, weighted by its staleness.
     *
     * @param clientId the client
     */
    void arrived(int clientId);

    /** Applies the buffered updates to the global weights and empties the buffer. */
    void step();
}
