package dev.splitfed.internal.compress;

import dev.splitfed.compress.Codec;
import dev.splitfed.InvalidInputException;

/**
 * The fed server's half of compressed submissions (see {@link UpdateEncoder}): it remembers the
 * weights each client was sent in the round and adds a lossy submission's change to them.
 * Thread-safe.
 */
public final class UpdateDecoder {

    private final Codec codec;
    private final RoundBases sent = new RoundBases();

    /**
     * Creates the decoder.
     *
     * @param codec how submissions are encoded
     */
    public UpdateDecoder(Codec codec) {
        this.codec = codec;
    }

    /** Returns the codec. */
    public Codec codec() {
        return codec;
    }

    /**
     * Remembers the weights a client was sent for its round.
     *
     * @param clientId the client
     * @param weights what it was sent; the caller does not change them afterwards
     */
    public synchronized void sent(int clientId, float[] weights) {
        if (!codec.lossless()) {
            sent.put(clientId, weights);
        }
    }

    /**
     * Decodes a client's submission.
     *
     * @param clientId the client
     * @param payload the encoded weights or change
     * @param n the number of weights
     * @return the client's weights as the server sees them
     * @throws InvalidInputException if the payload does not decode, or a change arrives from a
     *     client that was sent no weights of that size
     */
    public synchronized float[] decode(int clientId, byte[] payload, int n) {
        if (codec.lossless()) {
            return codec.decode(payload, n);
        }
        float[] base = sent.get(clientId);
        if (base == null || base.length != n) {
            throw new InvalidInputException(
                    "client " + clientId + " sent a change to weights it was not sent; it must download first");
        }
        float[] weights = codec.decode(payload, n);
        for (int i = 0; i < n; i++) {
            weights[i] += base[i];
        }
        sent.remove(clientId);
        return weights;
    }
}
