package dev.splitfed.internal.compress;

import dev.splitfed.compress.Codec;
import dev.splitfed.internal.role.MainServer;
import dev.splitfed.internal.role.StepResult;
import dev.splitfed.internal.transport.Tensor;

/**
 * A view of the main server whose smashed data and cut-layer gradients (and, with private labels,
 * the middle's output and its gradient) pass through a lossy codec, as they do on the wire: for
 * transports that hand tensors over without encoding them (in-process).
 */
public final class CodecMainServer implements MainServer {

    private final MainServer server;
    private final Codec codec;

    /**
     * Creates the view.
     *
     * @param server the main server
     * @param codec the codec both directions pass through
     */
    public CodecMainServer(MainServer server, Codec codec) {
        this.server = server;
        this.codec = codec;
    }

    @Override
    public StepResult step(int clientId, int round, Tensor smashed, int[] labels) {
        StepResult result = server.step(clientId, round, roundTrip(smashed), labels);
        return new StepResult(roundTrip(result.cutGradient()), result.loss());
    }

    @Override
    public Tensor forward(int clientId, int round, Tensor smashed) {
        return roundTrip(server.forward(clientId, round, roundTrip(smashed)));
    }

    @Override
    public Tensor backward(int clientId, int round, Tensor gradient) {
        return roundTrip(server.backward(clientId, round, roundTrip(gradient)));
    }

    private Tensor roundTrip(Tensor t) {
        return new Tensor(t.shape(), codec.decode(codec.encode(t.data()), t.size()));
    }

    @Override
    public void finished(int clientId, int round) {
        server.finished(clientId, round);
    }
}
