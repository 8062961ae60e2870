package dev.splitfed.grpc.internal;

import dev.splitfed.compress.Codec;
import dev.splitfed.internal.compress.UpdateEncoder;
import dev.splitfed.grpc.proto.DownloadRequest;
import dev.splitfed.grpc.proto.FedServerServiceGrpc;
import dev.splitfed.grpc.proto.SubmitReply;
import dev.splitfed.grpc.proto.WeightsChunk;
import dev.splitfed.internal.role.FedServer;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A remote fed server as a client calls it: the {@link FedServer} interface over gRPC. */
public final class GrpcFedServer implements FedServer {

    private final Channel channel;
    private final Duration timeout;
    private final long maxValues;
    private final UpdateEncoder updates;

    /**
     * Creates the stub.
     *
     * @param channel the connection to the fed server
     * @param maxValues the most values a download may announce (the client checks the exact length)
     * @param timeout how long one call may take
     * @param codec how submitted weights are encoded
     */
    public GrpcFedServer(Channel channel, long maxValues, Duration timeout, Codec codec) {
        this.channel = channel;
        this.maxValues = maxValues;
        this.timeout = timeout;
        this.updates = new UpdateEncoder(codec);
    }

    @Override
    public float[] download(int clientId, int round) {
        String what = "client " + clientId + "'s download for round " + round;
        try {
            Iterator<WeightsChunk> chunks = FedServerServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .download(DownloadRequest.newBuilder().setClientId(clientId).setRound(round).build());
            float[] weights = WeightsStream.read(chunks, maxValues, "the fed server's weights");
            updates.downloaded(clientId, weights);
            return weights;
        } catch (StatusRuntimeException e) {
            throw Statuses.fromStatus(what, e);
        }
    }

    @Override
    public void submit(int clientId, int round, float[] weights, int samples) {
        List<WeightsChunk> chunks = WeightsStream.chunks(
                clientId, round, weights.length, updates.codec(), updates.encode(clientId, weights), samples);
        Calls.stream((StreamObserver<SubmitReply> reply) -> FedServerServiceGrpc.newStub(channel)
                        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .submit(reply),
                chunks, "client " + clientId + "'s submission for round " + round);
    }
}
