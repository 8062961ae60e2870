package dev.splitfed.internal.compress;

import dev.splitfed.compress.Codec;
import java.util.HashMap;
import java.util.Map;

/**
 * The client's half of compressed submissions. With a lossless codec a client sends its weights;
 * with a lossy one it sends their change from the weights it downloaded, with error feedback
 * (Stich et al. 2018, "Sparsified SGD with Memory"): what compression left out of one round's
 * update is added to the next, so nothing is lost for good.
 *
 * <p>Error feedback is kept per client for the whole run, and only for clients that have sent an
 * update. Thread-safe.
 */
public final class UpdateEncoder {

    private final Codec codec;
    private final RoundBases downloaded = new RoundBases();
    private final Map<Integer, ErrorFeedback> memory = new HashMap<>();

    /**
     * Creates the encoder.
     *
     * @param codec how updates are encoded
     */
    public UpdateEncoder(Codec codec) {
        this.codec = codec;
    }

    /** Returns the codec. */
    public Codec codec() {
        return codec;
    }

    /**
     * Remembers the weights a client starts its round from.
     *
     * @param clientId the client
     * @param weights what it downloaded; the caller does not change them afterwards
     */
    public synchronized void downloaded(int clientId, float[] weights) {
        if (!codec.lossless()) {
            downloaded.put(clientId, weights);
        }
    }

    /**
     * Encodes a client's trained weights for submission.
     *
     * @param clientId the client
     * @param weights its trained weights
     * @return the payload: the weights, or (lossy) their change since the download
     * @throws IllegalStateException if a lossy codec is used and the client downloaded nothing
     */
    public synchronized byte[] encode(int clientId, float[] weights) {
        if (codec.lossless()) {
            return codec.encode(weights);
        }
        float[] base = downloaded.get(clientId);
        downloaded.remove(clientId);
        if (base == null || base.length != weights.length) {
            throw new IllegalStateException("client " + clientId + " submits weights it did not download");
        }
        float[] change = new float[weights.length];
        for (int i = 0; i < change.length; i++) {
            change[i] = weights[i] - base[i];
        }
        return memory.computeIfAbsent(clientId, k -> new ErrorFeedback(codec)).encode(change);
    }
}
