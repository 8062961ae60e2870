package dev.splitfed.internal.model;

import dev.splitfed.model.Architecture;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.InvalidInputException;
import java.util.Arrays;

/**
 * Which stages of a split network each party holds, and how the parties' flat vectors make up the
 * whole model.
 *
 * <p>With shared labels the client holds the bottom {@code [0, cut)} and the main server
 * {@code [cut, stages)}. With private labels (the U-shaped split; Vepakomma et al. 2018) the client
 * holds the bottom and the head {@code [stages - 1, stages)}, and the main server only the middle
 * {@code [cut, stages - 1)}. The client's vector is always bottom ++ head (head empty when labels
 * are shared); the whole model is kept in architecture order, bottom ++ middle ++ head, so that
 * evaluation, checkpoints and every other tool see the ordinary network.
 *
 * @param cut the cut: the bottom is {@code [0, cut)}
 * @param serverEnd the main server holds {@code [cut, serverEnd)}; the head is {@code [serverEnd, stages)}
 * @param stages the architecture's stage count
 * @param bottomSize parameters of the bottom, |W_C|
 * @param serverSize parameters of the main server's part, |W_S|
 * @param headSize parameters of the head, |W_H| (0 with shared labels)
 */
public record SplitLayout(int cut, int serverEnd, int stages, int bottomSize, int serverSize, int headSize) {

    /**
     * Returns the layout of {@code architecture} cut at {@code cut}.
     *
     * @param architecture the network
     * @param cut the cut
     * @param labels whether the client keeps the head
     * @return the layout
     * @throws InvalidInputException if the cut is out of range, or leaves the main server nothing
     */
    public static SplitLayout of(Architecture architecture, int cut, LabelSharing labels) {
        int end = checkCut(architecture, cut, labels);
        int stages = architecture.stages();
        try (ModelPart bottom = ModelPart.create(architecture, 0, cut);
                ModelPart server = ModelPart.create(architecture, cut, end)) {
            int head = 0;
            if (end < stages) {
                try (ModelPart h = ModelPart.create(architecture, end, stages)) {
                    head = h.size();
                }
            }
            return new SplitLayout(cut, end, stages, bottom.size(), server.size(), head);
        }
    }

    /**
     * Checks that {@code cut} splits the network so that every party holds at least one stage.
     *
     * @param architecture the network
     * @param cut the cut
     * @param labels whether the client keeps the head
     * @return where the main server's stages end
     * @throws InvalidInputException if the cut is out of range, or leaves the main server nothing
     */
    public static int checkCut(Architecture architecture, int cut, LabelSharing labels) {
        architecture.checkCut(cut);
        int stages = architecture.stages();
        int end = labels == LabelSharing.PRIVATE ? stages - 1 : stages;
        if (cut >= end) {
            throw new InvalidInputException(
                    "cut " + cut + " leaves the main server no layers with {labels} private, since the client keeps "
                            + architecture.name() + "'s last stage: use a cut from 1 to " + (stages - 2));
        }
        return end;
    }

    /** Returns whether the client keeps the head (private labels). */
    public boolean privateLabels() {
        return serverEnd < stages;
    }

    /** Returns the length of the client's vector: bottom ++ head. */
    public int clientSize() {
        return bottomSize + headSize;
    }

    /** Returns the length of the whole model's vector. */
    public int size() {
        return bottomSize + serverSize + headSize;
    }

    /**
     * Returns the client's part of a whole model: bottom ++ head.
     *
     * @param whole the model in architecture order
     * @return a new vector of {@link #clientSize()} values
     */
    public float[] clientPart(float[] whole) {
        checkWhole(whole);
        float[] out = Arrays.copyOf(whole, clientSize());
        System.arraycopy(whole, bottomSize + serverSize, out, bottomSize, headSize);
        return out;
    }

    /**
     * Returns the main server's part of a whole model.
     *
     * @param whole the model in architecture order
     * @return a new vector of {@link #serverSize()} values
     */
    public float[] serverPart(float[] whole) {
        checkWhole(whole);
        return Arrays.copyOfRange(whole, bottomSize, bottomSize + serverSize);
    }

    /**
     * Returns the whole model in architecture order from the two parties' vectors.
     *
     * @param client bottom ++ head
     * @param server the main server's part
     * @return bottom ++ server ++ head
     */
    public float[] whole(float[] client, float[] server) {
        if (client.length != clientSize() || server.length != serverSize) {
            throw new IllegalArgumentException("expected " + clientSize() + " client and " + serverSize
                    + " server values, got " + client.length + " and " + server.length);
        }
        float[] out = Arrays.copyOf(client, size());
        System.arraycopy(server, 0, out, bottomSize, serverSize);
        System.arraycopy(client, bottomSize, out, bottomSize + serverSize, headSize);
        return out;
    }

    private void checkWhole(float[] whole) {
        if (whole.length != size()) {
            throw new IllegalArgumentException("expected " + size() + " values, got " + whole.length);
        }
    }
}
