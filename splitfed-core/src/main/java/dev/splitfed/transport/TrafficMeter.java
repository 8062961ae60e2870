package dev.splitfed.transport;

import dev.splitfed.role.FedServer;
import dev.splitfed.role.MainServer;
import dev.splitfed.role.StepResult;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the payload bytes that cross between clients and servers: up (client to server) and down
 * (server to client). Payload is float32 values, int32 labels and the scalars a message carries;
 * framing (shapes, ids, round numbers) is not counted.
 */
public final class TrafficMeter {

    /** Bytes of one int32 label or sample count, one float32 loss. */
    static final int SCALAR_BYTES = 4;

    private final LongAdder up = new LongAdder();
    private final LongAdder down = new LongAdder();

    /**
     * Records bytes sent by a client.
     *
     * @param bytes payload bytes, {@code >= 0}
     */
    public void up(long bytes) {
        up.add(bytes);
    }

    /**
     * Records bytes received by a client.
     *
     * @param bytes payload bytes, {@code >= 0}
     */
    public void down(long bytes) {
        down.add(bytes);
    }

    /** Returns the bytes sent by clients since the last {@link #reset}. */
    public long bytesUp() {
        return up.sum();
    }

    /** Returns the bytes received by clients since the last {@link #reset}. */
    public long bytesDown() {
        return down.sum();
    }

    /**
     * Returns the bytes counted so far and starts from zero, losing none counted meanwhile.
     *
     * @return {@code {up, down}}
     */
    public long[] drain() {
        return new long[] {up.sumThenReset(), down.sumThenReset()};
    }

    /** Starts counting from zero. */
    public void reset() {
        up.reset();
        down.reset();
    }

    /**
     * Returns a view of the main server that counts what each call carries: smashed data and
     * int32 labels up, the cut-layer gradient and a float32 loss down.
     *
     * @param server the main server as reached over some transport
     * @return the counting view
     */
    public MainServer count(MainServer server) {
        return (clientId, round, smashed, labels) -> {
            up(smashed.bytes() + (long) labels.length * SCALAR_BYTES);
            StepResult result = server.step(clientId, round, smashed, labels);
            down(result.cutGradient().bytes() + SCALAR_BYTES);
            return result;
        };
    }

    /**
     * Returns a view of the fed server that counts what each call carries: weights down and up,
     * and an int32 sample count with every submission.
     *
     * @param server the fed server as reached over some transport
     * @return the counting view
     */
    public FedServer count(FedServer server) {
        return new FedServer() {
            @Override
            public float[] download(int clientId, int round) {
                float[] weights = server.download(clientId, round);
                down((long) weights.length * Tensor.BYTES_PER_VALUE);
                return weights;
            }

            @Override
            public void submit(int clientId, int round, float[] weights, int samples) {
                up((long) weights.length * Tensor.BYTES_PER_VALUE + SCALAR_BYTES);
                server.submit(clientId, round, weights, samples);
            }
        };
    }
}
