package dev.splitfed.internal.role;

/**
 * The fed server as a client sees it: where a client gets the weights it trains in a round and
 * sends them back. In {@code fl} the weights are the whole model; in the split schemes they are
 * the client-side part.
 */
public interface FedServer {

    /**
     * Returns the weights the client starts the round from.
     *
     * @param clientId the client
     * @param round the current round
     * @return a flat vector the caller may keep
     */
    float[] download(int clientId, int round);

    /**
     * Hands in the client's trained weights.
     *
     * @param clientId the client
     * @param round the current round
     * @param weights the flat vector
     * @param samples the number of training samples behind the weights
     */
    void submit(int clientId, int round, float[] weights, int samples);
}
