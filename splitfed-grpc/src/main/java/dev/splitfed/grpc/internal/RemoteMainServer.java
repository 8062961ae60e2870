package dev.splitfed.grpc.internal;

import dev.splitfed.compress.Codec;
import dev.splitfed.grpc.proto.BeginRoundRequest;
import dev.splitfed.grpc.proto.ControlReply;
import dev.splitfed.grpc.proto.DiscardRequest;
import dev.splitfed.grpc.proto.EndRoundRequest;
import dev.splitfed.grpc.proto.MainControlServiceGrpc;
import dev.splitfed.grpc.proto.TrafficReply;
import dev.splitfed.grpc.proto.TrafficRequest;
import dev.splitfed.internal.role.MainServerNode;
import dev.splitfed.internal.role.StepResult;
import dev.splitfed.internal.transport.Tensor;
import dev.splitfed.internal.transport.TrafficMeter;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The fed server's handle on a main server in another process: it pushes W_S there at the start
 * (a fresh run's, or a checkpoint's), opens and closes its rounds, and keeps the W_S each round
 * ends with, which it evaluates and checkpoints.
 */
public final class RemoteMainServer implements MainServerNode {

    private final ManagedChannel channel;
    private final Duration timeout;
    private final GrpcMainServer data;
    private final TrafficMeter meter;
    private float[] global;

    /**
     * Connects and hands the main server the W_S to start from.
     *
     * @param channel the connection, made with the fed server's certificate
     * @param weights W_S
     * @param timeout how long one call may take
     * @param meter where the run counts bytes: each round adds what the main server counted
     * @param codec how smashed data and cut-layer gradients are encoded
     */
    public RemoteMainServer(ManagedChannel channel, float[] weights, Duration timeout, TrafficMeter meter, Codec codec) {
        this.channel = channel;
        this.meter = meter;
        this.timeout = timeout;
        this.data = new GrpcMainServer(channel, timeout, codec);
        this.global = weights.clone();
        restore();
    }

    /** Hands the main server the W_S this fed server holds. */
    private void restore() {
        Calls.stream((StreamObserver<ControlReply> reply) -> stub().restore(reply),
                WeightsStream.chunks(-1, 0, global, 0), "handing W_S to the main server");
    }

    // Control calls wait for a restarting main server (up to the deadline) instead of failing at once.
    private MainControlServiceGrpc.MainControlServiceStub stub() {
        return MainControlServiceGrpc.newStub(channel).withWaitForReady()
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private MainControlServiceGrpc.MainControlServiceBlockingStub blocking() {
        return MainControlServiceGrpc.newBlockingStub(channel).withWaitForReady()
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public StepResult step(int clientId, int round, Tensor smashed, int[] labels) {
        return data.step(clientId, round, smashed, labels);
    }

    @Override
    public Tensor forward(int clientId, int round, Tensor smashed) {
        return data.forward(clientId, round, smashed);
    }

    @Override
    public Tensor backward(int clientId, int round, Tensor gradient) {
        return data.backward(clientId, round, gradient);
    }

    @Override
    public void finished(int clientId, int round) {
        data.finished(clientId, round);
    }

    @Override
    public void beginRound(int round, List<Integer> participants) {
        BeginRoundRequest request = BeginRoundRequest.newBuilder().setRound(round).addAllParticipants(participants).build();
        try {
            blocking().beginRound(request);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.FAILED_PRECONDITION) {
                throw Statuses.fromStatus("opening round " + round + " on the main server", e);
            }
            // The main server restarted and lost W_S: hand it over again, then open the round.
            restore();
            try {
                blocking().beginRound(request);
            } catch (StatusRuntimeException again) {
                throw Statuses.fromStatus("opening round " + round + " on the main server", again);
            }
        }
    }

    @Override
    public void discard(int clientId) {
        try {
            blocking().discard(DiscardRequest.newBuilder().setClientId(clientId).build());
        } catch (StatusRuntimeException e) {
            throw Statuses.fromStatus("leaving client " + clientId + " out on the main server", e);
        }
    }

    @Override
    public void endRound() {
        try {
            global = WeightsStream.read(blocking().endRound(EndRoundRequest.getDefaultInstance()),
                    GrpcTransport.MAX_VALUES, "the main server's W_S");
            collectTraffic();
        } catch (StatusRuntimeException e) {
            throw Statuses.fromStatus("closing the round on the main server", e);
        }
    }

    /** Adds the payload bytes clients exchanged with the main server, as it counted them. */
    private void collectTraffic() {
        try {
            TrafficReply counts = blocking().traffic(TrafficRequest.getDefaultInstance());
            meter.up(counts.getBytesUp());
            meter.down(counts.getBytesDown());
        } catch (StatusRuntimeException e) {
            throw Statuses.fromStatus("asking the main server for its traffic", e);
        }
    }

    @Override
    public float[] globalWeights() {
        return global.clone();
    }
}
