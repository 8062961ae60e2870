package dev.splitfed.transport;

import dev.splitfed.role.FedServer;
import dev.splitfed.role.MainServer;
import dev.splitfed.role.StepResult;

/**
 * Connects clients to servers in the same process by direct calls, counting every message's
 * payload on a {@link TrafficMeter} as a network transport would carry it.
 */
public final class InProcessTransport {

    /** Bytes of one int32 label or sample count, one float32 loss. */
    static final int SCALAR_BYTES = 4;

    private final TrafficMeter meter;

    /**
     * Creates a transport that counts on {@code meter}.
     *
     * @param meter where bytes are counted
     */
    public InProcessTransport(TrafficMeter meter) {
        this.meter = meter;
    }

    /**
     * Returns the main server as a client reaches it over this transport.
     *
     * @param server the main server
     * @return a counting view
     */
    public MainServer connect(MainServer server) {
        return (clientId, round, smashed, labels) -> {
            meter.up(smashed.bytes() + (long) labels.length * SCALAR_BYTES);
            StepResult result = server.step(clientId, round, smashed, labels);
            meter.down(result.cutGradient().bytes() + SCALAR_BYTES);
            return result;
        };
    }

    /**
     * Returns the fed server as a client reaches it over this transport.
     *
     * @param server the fed server
     * @return a counting view
     */
    public FedServer connect(FedServer server) {
        return new FedServer() {
            @Override
            public float[] download(int clientId, int round) {
                float[] weights = server.download(clientId, round);
                meter.down((long) weights.length * Tensor.BYTES_PER_VALUE);
                return weights;
            }

            @Override
            public void submit(int clientId, int round, float[] weights, int samples) {
                meter.up((long) weights.length * Tensor.BYTES_PER_VALUE + SCALAR_BYTES);
                server.submit(clientId, round, weights, samples);
            }
        };
    }
}
