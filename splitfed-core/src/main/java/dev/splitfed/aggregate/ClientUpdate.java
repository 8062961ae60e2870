package dev.splitfed.aggregate;

/**
 * One client's contribution to a round: how far its training moved the weights it started from,
 * and how many samples it trained on.
 *
 * @param clientId the client
 * @param delta the client's trained weights minus the weights it downloaded, flat
 * @param samples the number of training samples behind the update, {@code >= 1}
 */
public record ClientUpdate(int clientId, float[] delta, long samples) {

    /** Checks the sample count. */
    public ClientUpdate {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        }
    }

    /**
     * Creates the update of a client that started from {@code start} and ended at {@code trained}.
     *
     * @param clientId the client
     * @param trained the client's trained weights
     * @param start the weights it downloaded
     * @param samples the number of training samples behind the update
     * @return {@code trained - start} as an update
     */
    public static ClientUpdate between(int clientId, float[] trained, float[] start, long samples) {
        if (trained.length != start.length) {
            throw new IllegalArgumentException(
                    "client " + clientId + " sent " + trained.length + " values, expected " + start.length);
        }
        float[] delta = new float[trained.length];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = trained[i] - start[i];
        }
        return new ClientUpdate(clientId, delta, samples);
    }
}
