package dev.splitfed.internal.secagg;

import dev.splitfed.internal.role.FedServer;

/**
 * The fed server as a client of a securely aggregating run sees it: weights come down as usual,
 * and trained weights go up only as the client's masked input, so no plain weights leave it.
 */
public final class MaskingFedServer implements FedServer {

    private final FedServer server;
    private final SecAggClient secure;

    /**
     * Creates the view.
     *
     * @param server the fed server as the client reaches it, for downloads
     * @param secure the client's half of secure aggregation, which masks and hands in its weights
     */
    public MaskingFedServer(FedServer server, SecAggClient secure) {
        this.server = server;
        this.secure = secure;
    }

    @Override
    public float[] download(int clientId, int round) {
        return server.download(clientId, round);
    }

    @Override
    public void submit(int clientId, int round, float[] weights, int samples) {
        secure.submit(clientId, round, weights, samples);
    }
}
