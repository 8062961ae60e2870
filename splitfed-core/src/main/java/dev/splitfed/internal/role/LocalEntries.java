package dev.splitfed.internal.role;

import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.model.Architecture;

/**
 * The fed server as a client that keeps some positions of its weight vector to itself sees it:
 * the positions still travel and are averaged with the rest (so the global model has averaged
 * values there), but every download has the client's own values written over them, from the
 * client's first submission on (before that it starts from the global ones). This is FedBN (Li et
 * al. 2021, "FedBN: Federated Learning on Non-IID Features via Local Batch Normalization"), with
 * the positions of the batch-normalisation layers (scale, shift, running statistics) of the
 * client's part of the model; like {@link PersonalHead} (FedPer), which withholds its positions
 * altogether, the kept values persist for the life of the client.
 */
public final class LocalEntries implements FedServer {

    private final FedServer server;
    private final int[] positions;
    private float[] kept;

    /**
     * Creates the view.
     *
     * @param server the fed server as the client reaches it
     * @param mask which positions of the client's vector the client keeps
     */
    public LocalEntries(FedServer server, boolean[] mask) {
        this.server = server;
        int n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        this.positions = new int[n];
        int j = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                positions[j++] = i;
            }
        }
    }

    /**
     * Returns which positions of the vector a client hands in belong to batch-normalisation
     * layers: in {@code fl} the whole model, in a split scheme the client-side part (with private
     * labels bottom ++ head).
     *
     * @param architecture the network
     * @param layout the split, or null when the client trains the whole model
     * @return the mask, as long as the client's vector
     */
    public static boolean[] normalisation(Architecture architecture, SplitLayout layout) {
        boolean[] whole;
        try (ModelPart all = ModelPart.create(architecture, 0, architecture.stages())) {
            whole = all.normalisationMask();
        }
        if (layout == null) {
            return whole;
        }
        float[] asFloats = new float[whole.length];
        for (int i = 0; i < whole.length; i++) {
            asFloats[i] = whole[i] ? 1 : 0;
        }
        float[] client = layout.clientPart(asFloats);
        boolean[] out = new boolean[client.length];
        for (int i = 0; i < client.length; i++) {
            out[i] = client[i] != 0;
        }
        return out;
    }

    /** Returns the number of positions kept. */
    public int count() {
        return positions.length;
    }

    /**
     * Writes the client's own values over {@code weights} at the kept positions, if it has any
     * yet.
     *
     * @param weights a vector of the client's layout, changed in place
     * @return {@code weights}
     */
    public synchronized float[] apply(float[] weights) {
        if (kept != null) {
            for (int j = 0; j < positions.length; j++) {
                weights[positions[j]] = kept[j];
            }
        }
        return weights;
    }

    /** Returns the global weights with this client's own values at the kept positions. */
    @Override
    public float[] download(int clientId, int round) {
        return apply(server.download(clientId, round));
    }

    /** Hands everything in, and keeps the values at the kept positions. */
    @Override
    public void submit(int clientId, int round, float[] weights, int samples) {
        float[] own = new float[positions.length];
        for (int j = 0; j < positions.length; j++) {
            own[j] = weights[positions[j]];
        }
        server.submit(clientId, round, weights, samples);
        synchronized (this) {
            kept = own;
        }
    }
}
