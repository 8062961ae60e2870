package dev.splitfed.internal.role;

import dev.splitfed.internal.transport.Tensor;

/**
 * The main server as a client sees it: it finishes the forward pass on smashed data, runs the
 * backward pass of the server-side layers and returns the gradient at the cut.
 *
 * <p>With shared labels a batch is one {@link #step}. With private labels (the U-shaped split;
 * Vepakomma et al. 2018) a batch is a {@link #forward} and then a {@link #backward}: the main
 * server holds only the middle layers and never receives a label.
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
     * Runs the middle layers forward on one batch of smashed data without labels (private labels)
     * and returns their output; the main server keeps what it needs for the batch's
     * {@link #backward}, which must come before the client's next batch.
     *
     * @param clientId the sending client
     * @param round the current round
     * @param smashed the client-side activations, {@code [batch, cut shape...]}
     * @return the middle layers' output, {@code [batch, middle output shape...]}
     */
    Tensor forward(int clientId, int round, Tensor smashed);

    /**
     * Back-propagates the gradient of the client's loss with respect to the middle layers' output
     * of its last {@link #forward}, updates the middle layers and returns the cut-layer gradient.
     *
     * @param clientId the sending client
     * @param round the current round
     * @param gradient d loss / d middle output, the shape {@link #forward} returned
     * @return d loss / d smashed data, the shape of the smashed data
     */
    Tensor backward(int clientId, int round, Tensor gradient);

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
