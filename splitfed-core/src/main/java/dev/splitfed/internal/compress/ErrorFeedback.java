package dev.splitfed.internal.compress;

import dev.splitfed.compress.Codec;
import java.util.Objects;

/**
 * Compresses a stream of updates while carrying what the codec dropped over to the next update.
 *
 * <p>Error feedback, or memory (Stich, Cordonnier and Jaggi 2018, "Sparsified SGD with Memory";
 * Karimireddy et al. 2019, "Error Feedback Fixes SignSGD and other Gradient Compression Schemes"):
 * each update is corrected by the residual {@code r} before encoding, and the new residual is what
 * the payload failed to carry,
 *
 * <pre>{@code
 * corrected = update + r
 * payload   = codec.encode(corrected)
 * r         = corrected - codec.decode(payload)
 * }</pre>
 *
 * <p>so over any number of steps the decoded payloads plus the residual add up to the updates, and
 * a coordinate that top-k keeps dropping is eventually sent. The residual starts at zero and
 * restarts at zero when the update length changes; with a lossless codec it stays zero.
 *
 * <p>Not thread-safe: one instance belongs to one sender's stream of updates.
 */
public final class ErrorFeedback {

    private final Codec codec;
    private float[] residual = new float[0];

    /**
     * Creates error feedback with a zero residual.
     *
     * @param codec the codec the updates are sent with
     */
    public ErrorFeedback(Codec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * Returns the payload for {@code update} corrected by the residual, and updates the residual.
     *
     * @param update finite values; not modified or kept
     * @return {@code codec.encodedBytes(update.length)} bytes
     */
    public byte[] encode(float[] update) {
        int n = update.length;
        if (residual.length != n) {
            residual = new float[n];
        }
        if (codec.lossless()) {
            return codec.encode(update);
        }
        for (int i = 0; i < n; i++) {
            residual[i] += update[i];
        }
        byte[] payload = codec.encode(residual);
        float[] sent = codec.decode(payload, n);
        for (int i = 0; i < n; i++) {
            residual[i] -= sent[i];
        }
        return payload;
    }

    /** Returns a copy of the residual: what has been encoded so far but not yet sent. */
    public float[] residual() {
        return residual.clone();
    }
}
