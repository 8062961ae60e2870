package dev.splitfed.role;

import dev.splitfed.transport.Tensor;

/**
 * The main server as a client sees it: it finishes the forward pass on smashed data, runs the
 * backward pass of the server-side layers and returns the gradient at the cut.
 */
public interface MainServer {

    /**
     * Trains the server-side layers on one batch and returns the cut-layer gradient.
     *
     * @param clientId the sending client
     * @param round the current round
     * @param smashed the client-side activations, {@code [batch, cut shape...]}
     * @param labels one class index per row of {@code smashed}
     * @return the gradient at the cut and the batch loss
     */
    StepResult step(int clientId, int round, Tensor smashed, int[] labels);

    /**
     * Tells the main server that the client has sent all of its batches for the round, so that a
     * transport can release what it holds for the client (a stream). Training does not depend on
     * it: a stream that is never closed this way ends with the client's next round or channel.
     *
     * @param clientId the client
     * @param round the round
     */
    default void finished(int clientId, int round) {}
}
