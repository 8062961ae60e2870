package dev.splitfed.internal.role;

import java.util.List;

/** A server as the round driver sees it: rounds open and close, and a global model comes out. */
public interface RoundControl {

    /**
     * Opens a round for the given clients; messages from anyone else, or for another round, are
     * refused until the next round opens.
     *
     * @param round the round number, from 1, increasing
     * @param participants the selected clients' ids
     */
    void beginRound(int round, List<Integer> participants);

    /**
     * Drops a client from the current round: what it sent is left out of the aggregate, and
     * anything it sends later in the round is refused.
     *
     * @param clientId the client
     */
    void discard(int clientId);

    /** Closes the round, folding what the clients contributed into the global weights. */
    void endRound();

    /** Returns a copy of the global weights this server holds. */
    float[] globalWeights();
}
