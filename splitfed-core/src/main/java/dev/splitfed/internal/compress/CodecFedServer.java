package dev.splitfed.internal.compress;

import dev.splitfed.compress.Codec;
import dev.splitfed.internal.role.FedServer;

/**
 * A view of the fed server whose submissions pass through a lossy codec, as they do on the wire
 * (see {@link UpdateEncoder}): for transports that hand weights over without encoding them
 * (in-process). Downloads pass unchanged.
 */
public final class CodecFedServer implements FedServer {

    private final FedServer server;
    private final UpdateEncoder encoder;
    private final UpdateDecoder decoder;

    /**
     * Creates the view.
     *
     * @param server the fed server
     * @param codec the codec submissions pass through
     */
    public CodecFedServer(FedServer server, Codec codec) {
        this.server = server;
        this.encoder = new UpdateEncoder(codec);
        this.decoder = new UpdateDecoder(codec);
    }

    @Override
    public float[] download(int clientId, int round) {
        float[] weights = server.download(clientId, round);
        encoder.downloaded(clientId, weights);
        decoder.sent(clientId, weights);
        return weights;
    }

    @Override
    public void submit(int clientId, int round, float[] weights, int samples) {
        byte[] payload = encoder.encode(clientId, weights);
        server.submit(clientId, round, decoder.decode(clientId, payload, weights.length), samples);
    }
}
