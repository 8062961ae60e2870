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

    /**
     * Returns how many values the client's submission in the round must carry, or refuses it before
     * anything is sent: a server on the network checks a submission's header with this before it
     * buffers the payload. Servers that take submissions answer it; a view of a server elsewhere
     * (a client's stub, a client-side decorator) cannot.
     *
     * @param clientId the client
     * @param round the round the submission names
     * @return the exact number of values
     * @throws dev.splitfed.InvalidInputException if the server would refuse the submission
     */
    default int expects(int clientId, int round) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not check submissions ahead");
    }
}
