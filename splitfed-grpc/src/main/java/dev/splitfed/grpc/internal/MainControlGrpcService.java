package dev.splitfed.grpc.internal;

import dev.splitfed.grpc.proto.BeginRoundRequest;
import dev.splitfed.grpc.proto.ControlReply;
import dev.splitfed.grpc.proto.DiscardRequest;
import dev.splitfed.grpc.proto.EndRoundRequest;
import dev.splitfed.grpc.proto.MainControlServiceGrpc;
import dev.splitfed.grpc.proto.TrafficReply;
import dev.splitfed.grpc.proto.TrafficRequest;
import dev.splitfed.grpc.proto.WeightsChunk;
import dev.splitfed.internal.role.SplitMainServer;
import dev.splitfed.internal.transport.TrafficMeter;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/** Lets the fed server, and only it, drive a main server that runs in this process. */
public final class MainControlGrpcService extends MainControlServiceGrpc.MainControlServiceImplBase {

    private final SplitMainServer server;
    private final TrafficMeter meter;
    // A main server that (re)started has only its initial W_S until the fed server hands it the real one.
    private volatile boolean restored;

    MainControlGrpcService(SplitMainServer server, TrafficMeter meter) {
        this.server = server;
        this.meter = meter;
    }

    @Override
    public void traffic(TrafficRequest request, StreamObserver<TrafficReply> reply) {
        try {
            PeerIdentity.authorizeFedServer();
            long[] counts = meter.drain();
            reply.onNext(TrafficReply.newBuilder().setBytesUp(counts[0]).setBytesDown(counts[1]).build());
            reply.onCompleted();
        } catch (RuntimeException e) {
            reply.onError(Statuses.toStatus(e));
        }
    }

    @Override
    public StreamObserver<WeightsChunk> restore(StreamObserver<ControlReply> reply) {
        try {
            PeerIdentity.authorizeFedServer();
        } catch (RuntimeException e) {
            reply.onError(Statuses.toStatus(e));
            return new StreamObserver<>() {
                @Override
                public void onNext(WeightsChunk chunk) {}

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {}
            };
        }
        List<WeightsChunk> chunks = new ArrayList<>();
        return new StreamObserver<>() {
            @Override
            public void onNext(WeightsChunk chunk) {
                chunks.add(chunk);
            }

            @Override
            public void onError(Throwable t) {
                chunks.clear();
            }

            @Override
            public void onCompleted() {
                try {
                    PeerIdentity.authorizeFedServer();
                    server.restore(WeightsStream.read(chunks.iterator(), GrpcTransport.MAX_VALUES, "the fed server's W_S"));
                    restored = true;
                    reply.onNext(ControlReply.getDefaultInstance());
                    reply.onCompleted();
                } catch (RuntimeException e) {
                    reply.onError(Statuses.toStatus(e));
                }
            }
        };
    }

    @Override
    public void beginRound(BeginRoundRequest request, StreamObserver<ControlReply> reply) {
        answer(reply, () -> {
            if (!restored) {
                throw Status.FAILED_PRECONDITION.withDescription("the main server has not received W_S").asRuntimeException();
            }
            server.beginRound(request.getRound(), request.getParticipantsList());
        });
    }

    @Override
    public void discard(DiscardRequest request, StreamObserver<ControlReply> reply) {
        answer(reply, () -> server.discard(request.getClientId()));
    }

    @Override
    public void endRound(EndRoundRequest request, StreamObserver<WeightsChunk> reply) {
        try {
            PeerIdentity.authorizeFedServer();
            server.endRound();
            new FlowControlledSender<>((ServerCallStreamObserver<WeightsChunk>) reply)
                    .start(WeightsStream.chunks(-1, 0, server.globalWeights(), 0).iterator());
        } catch (RuntimeException e) {
            reply.onError(Statuses.toStatus(e));
        }
    }

    private static void answer(StreamObserver<ControlReply> reply, Runnable action) {
        try {
            PeerIdentity.authorizeFedServer();
            action.run();
            reply.onNext(ControlReply.getDefaultInstance());
            reply.onCompleted();
        } catch (RuntimeException e) {
            reply.onError(Statuses.toStatus(e));
        }
    }
}
