package dev.splitfed.internal.role;

import dev.splitfed.InvalidInputException;

/**
 * The turns of a batch with private labels (the U-shaped split; Vepakomma et al. 2018): a forward
 * (smashed data up, the middle's output down) is followed by exactly one backward (the gradient at
 * that output up, of its shape; the cut-layer gradient down, of the smashed data's shape) before
 * the next forward. Each party that must know which exchange comes next keeps one of these: the
 * main server for each copy of W_S, the gRPC service for each client's stream, and a client's stub
 * for each of its streams. Not for concurrent use: its owner serialises the calls, which may come
 * on different threads (a gRPC stream's callbacks), so the pending forward is volatile.
 *
 * @param <T> what the party keeps of a forward for its backward (the main server: the graph)
 */
public final class ForwardBackwardPairing<T> {

    private volatile Forward<T> due;

    /**
     * A forward whose backward is due.
     *
     * @param clientId the client that sent it
     * @param smashedShape the shape of its smashed data, which the cut-layer gradient has
     * @param middleShape the shape of the middle's output, which the gradient sent back must have
     * @param kept what the party keeps for the backward, or null
     * @param <T> what is kept
     */
    public record Forward<T>(int clientId, int[] smashedShape, int[] middleShape, T kept) {}

    /**
     * Refuses a forward from a client while a backward is due.
     *
     * @param clientId the client sending smashed data
     * @throws InvalidInputException if the backward of an earlier forward, the client's own or
     *     (on one shared W_S) another client's, has not come
     */
    public void checkForward(int clientId) {
        if (due == null) {
            return;
        }
        throw new InvalidInputException(due.clientId() == clientId
                ? "client " + clientId + " sent smashed data before the gradient of its previous batch's middle output"
                : "client " + clientId + " sent smashed data while the main server awaits client " + due.clientId()
                        + "'s gradient");
    }

    /**
     * Records a forward, whose backward is due next.
     *
     * @param clientId the client that sent it
     * @param smashedShape the shape of its smashed data
     * @param middleShape the shape of the middle's output
     * @param kept what to keep for the backward, or null
     */
    public void forwarded(int clientId, int[] smashedShape, int[] middleShape, T kept) {
        due = new Forward<>(clientId, smashedShape.clone(), middleShape.clone(), kept);
    }

    /**
     * Returns the client's forward whose backward is due, or null if none of its forwards awaits one.
     *
     * @param clientId the client
     */
    public Forward<T> due(int clientId) {
        return due != null && due.clientId() == clientId ? due : null;
    }

    /**
     * Ends the turn of the client's due forward: its backward came, or the client left.
     *
     * @param clientId the client
     * @return the forward that was due, or null if none of the client's was
     */
    public Forward<T> clear(int clientId) {
        Forward<T> out = due(clientId);
        if (out != null) {
            due = null;
        }
        return out;
    }

    /**
     * Ends whichever forward is due, whoever sent it: its copy is being ended.
     *
     * @return the forward that was due, or null if none was
     */
    public Forward<T> clearAny() {
        Forward<T> out = due;
        due = null;
        return out;
    }
}
