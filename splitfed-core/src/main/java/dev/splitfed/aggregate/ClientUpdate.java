package dev.splitfed.aggregate;

/**
 * One client's contribution to a round: its trained weights and how many samples it trained on.
 *
 * @param clientId the client
 * @param weights the flat parameter vector
 * @param samples the number of training samples behind the weights, {@code >= 1}
 */
public record ClientUpdate(int clientId, float[] weights, long samples) {

    /** Checks the sample count. */
    public ClientUpdate {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        }
    }
}
