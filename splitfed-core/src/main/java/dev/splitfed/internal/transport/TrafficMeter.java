package dev.splitfed.internal.transport;

import dev.splitfed.compress.Codec;
import dev.splitfed.internal.role.FedServer;
import dev.splitfed.internal.role.MainServer;
import dev.splitfed.internal.role.StepResult;
import dev.splitfed.internal.secagg.EncryptedShare;
import dev.splitfed.internal.secagg.PublicKeys;
import dev.splitfed.internal.secagg.RevealedShare;
import dev.splitfed.internal.secagg.Roster;
import dev.splitfed.internal.secagg.SecAggCost;
import dev.splitfed.internal.secagg.SecAggServer;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

/**
 * Counts the payload bytes that cross between clients and servers: up (client to server) and down
 * (server to client). Payload is the tensors' values as the run's codec encodes them, int32 labels
 * and the scalars a message carries; framing (shapes, ids, round numbers) is not counted.
 *
 * <p>Every transport counts through the views {@code count} returns, one per server interface, so
 * the size of every message is worked out here alone, wherever the view sits (a client's side of
 * the wire, or the server's).
 */
public final class TrafficMeter {

    /** Bytes of one int32 label or sample count, one float32 loss. */
    static final int SCALAR_BYTES = 4;

    private final LongAdder up = new LongAdder();
    private final LongAdder down = new LongAdder();
    private final LongAdder refused = new LongAdder();

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
    /**
     * Counts bytes a party sent that the receiver refused (a malformed or oversized message, a
     * submission out of turn): they moved, but they are not the protocol's traffic.
     *
     * @param bytes the bytes refused
     */
    public void refused(long bytes) {
        refused.add(bytes);
    }

    /** Returns the bytes refused since the last reset. */
    public long bytesRefused() {
        return refused.sum();
    }

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
        refused.reset();
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
                long sent = codec.encodedBytes(smashed.size()) + (long) labels.length * SCALAR_BYTES;
                StepResult result;
                try {
                    result = server.step(clientId, round, smashed, labels);
                } catch (RuntimeException e) {
                    refused(sent);
                    throw e;
                }
                up(sent);
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
                long bytes = codec.encodedBytes(sent.size());
                Tensor answer;
                try {
                    answer = call.apply(sent);
                } catch (RuntimeException e) {
                    refused(bytes);
                    throw e;
                }
                up(bytes);
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
                long bytes = codec.encodedBytes(weights.length) + SCALAR_BYTES;
                try {
                    server.submit(clientId, round, weights, samples);
                } catch (RuntimeException e) {
                    refused(bytes);
                    throw e;
                }
                up(bytes);
            }

        };
    }

    /**
     * Returns a view of the fed server's half of secure aggregation that counts what each call
     * carries: public keys and the sample count, sealed shares, the masked input at 4 bytes a value
     * and the unmasking shares up; the roster, forwarded shares and the survivors' ids down. Sizes
     * are those of the message records ({@link SecAggCost} adds them up).
     *
     * @param server the server's half, as reached over some transport
     * @return the counting view
     */
    public SecAggServer count(SecAggServer server) {
        return new SecAggServer() {

            @Override
            public void advertiseKeys(int clientId, int round, PublicKeys keys, int samples) {
                up(SecAggCost.ADVERTISE_BYTES);
                server.advertiseKeys(clientId, round, keys, samples);
            }

            @Override
            public Roster roster(int clientId, int round) {
                Roster roster = server.roster(clientId, round);
                down(roster.bytes());
                return roster;
            }

            @Override
            public void shareKeys(int clientId, int round, List<EncryptedShare> shares) {
                up((long) shares.size() * EncryptedShare.BYTES);
                server.shareKeys(clientId, round, shares);
            }

            @Override
            public List<EncryptedShare> inbox(int clientId, int round) {
                List<EncryptedShare> shares = server.inbox(clientId, round);
                down((long) shares.size() * EncryptedShare.BYTES);
                return shares;
            }

            @Override
            public void submitMasked(int clientId, int round, int[] masked) {
                up((long) SCALAR_BYTES * masked.length);
                server.submitMasked(clientId, round, masked);
            }

            @Override
            public List<Integer> survivors(int clientId, int round) {
                List<Integer> survivors = server.survivors(clientId, round);
                down((long) SCALAR_BYTES * survivors.size());
                return survivors;
            }

            @Override
            public void unmask(int clientId, int round, List<RevealedShare> shares) {
                up((long) shares.size() * RevealedShare.BYTES);
                server.unmask(clientId, round, shares);
            }
        };
    }
}
