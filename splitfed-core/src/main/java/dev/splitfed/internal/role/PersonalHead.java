package dev.splitfed.internal.role;

import dev.splitfed.model.Architecture;
import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.model.SplitModel;
import java.util.Arrays;

/**
 * The fed server as a FedPer client sees it (Arivazhagan et al. 2019, "Federated Learning with
 * Personalization Layers"): the client keeps the model's last stage, its head, to itself. What the
 * client hands in ends with the head (the whole model in {@code fl}, bottom ++ head in the U-shaped
 * split), so this view strips the head from every submission and keeps it, and appends it to every
 * download of the base. Only base-sized vectors reach the transport: the head never leaves the
 * client. It starts as the initial global head and persists, like the client's data, for the life
 * of the client.
 */
public final class PersonalHead implements FedServer {

    private final FedServer server;
    private float[] head;

    /**
     * Creates the view.
     *
     * @param server the fed server as the client reaches it, which holds only the base
     * @param initialHead the head the client starts from: the initial global weights' last stage
     */
    public PersonalHead(FedServer server, float[] initialHead) {
        this.server = server;
        this.head = initialHead.clone();
    }

    /**
     * Returns the number of parameters of {@code architecture}'s last stage, the head a FedPer
     * client keeps.
     *
     * @param architecture the network
     * @return the head's parameter count
     */
    public static int size(Architecture architecture) {
        try (ModelPart last = ModelPart.create(architecture, architecture.stages() - 1, architecture.stages())) {
            return last.size();
        }
    }

    /** Returns a copy of the client's head as it stands. */
    public synchronized float[] head() {
        return head.clone();
    }

    /** Returns the fed server's base followed by this client's head. */
    @Override
    public synchronized float[] download(int clientId, int round) {
        return SplitModel.concat(server.download(clientId, round), head);
    }

    /** Keeps the trained head and hands in the rest. */
    @Override
    public synchronized void submit(int clientId, int round, float[] weights, int samples) {
        int base = weights.length - head.length;
        if (base < 0) {
            throw new IllegalArgumentException(
                    "client " + clientId + " trained " + weights.length + " weights, fewer than its head's " + head.length);
        }
        server.submit(clientId, round, Arrays.copyOf(weights, base), samples);
        head = Arrays.copyOfRange(weights, base, weights.length);
    }
}
