package dev.splitfed.transport;

import dev.splitfed.compress.Codec;
import dev.splitfed.role.FedServer;
import dev.splitfed.role.MainServer;
import dev.splitfed.role.StepResult;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

/**
 * Counts the payload bytes that cross between clients and servers: up (client to server) and down
 * (server to client). Payload is the tensors' values as the run's codec encodes them, int32 labels
 * and the scalars a message carries; framing (shapes, ids, round numbers) is not counted.
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
     * int32 labels up, the cut-layer gradient and a float32 loss down; with private labels,
     * smashed data up and the middle's output down, then the gradient at the middle's output up
     * and the cut-layer gradient down.
     *
     * @param server the main server as reached over some transport
     * @param codec how the transport encodes smashed data and gradients
     * @return the counting view
     */
    public MainServer count(MainServer server, Codec codec) {
        return new MainServer() {
            @Override
            public StepResult step(int clientId, int round, Tensor smashed, int[] labels) {
                up(codec.encodedBytes(smashed.size()) + (long) labels.length * SCALAR_BYTES);
                StepResult result = server.step(clientId, round, smashed, labels);
                down(codec.encodedBytes(result.cutGradient().size()) + SCALAR_BYTES);
                return result;
            }

            @Override
            public Tensor forward(int clientId, int round, Tensor smashed) {
                return exchange(smashed, t -> server.forward(clientId, round, t));
            }

            @Override
            public Tensor backward(int clientId, int round, Tensor gradient) {
                return exchange(gradient, t -> server.backward(clientId, round, t));
            }

            /** Counts one tensor up and the one the call returns down, both in the codec. */
            private Tensor exchange(Tensor sent, UnaryOperator<Tensor> call) {
                up(codec.encodedBytes(sent.size()));
                Tensor answer = call.apply(sent);
                down(codec.encodedBytes(answer.size()));
                return answer;
            }

            @Override
            public void finished(int clientId, int round) {
                server.finished(clientId, round);
            }
        };
    }

    /**
     * Returns a view of the fed server that counts what each call carries: weights down (always
     * float32), weights (or, with a lossy codec, their change) up with an int32 sample count.
     *
     * @param server the fed server as reached over some transport
     * @param codec how the transport encodes submitted weights
     * @return the counting view
     */
    public FedServer count(FedServer server, Codec codec) {
        return new FedServer() {
            @Override
            public float[] download(int clientId, int round) {
                float[] weights = server.download(clientId, round);
                down(Codec.NONE.encodedBytes(weights.length));
                return weights;
            }

            @Override
            public void submit(int clientId, int round, float[] weights, int samples) {
                up(codec.encodedBytes(weights.length) + SCALAR_BYTES);
                server.submit(clientId, round, weights, samples);
            }
        };
    }
}
