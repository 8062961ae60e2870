package dev.splitfed.grpc;

import dev.splitfed.grpc.proto.DType;
import dev.splitfed.grpc.proto.DownloadRequest;
import dev.splitfed.grpc.proto.FedServerServiceGrpc;
import dev.splitfed.grpc.proto.SubmitReply;
import dev.splitfed.grpc.proto.TensorHeader;
import dev.splitfed.grpc.proto.WeightsChunk;
import dev.splitfed.grpc.proto.WeightsHeader;
import dev.splitfed.role.FedServer;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;

/** Serves a {@link FedServer} over gRPC: weights stream down and up in chunks. */
final class FedServerGrpcService extends FedServerServiceGrpc.FedServerServiceImplBase {

    private final FedServer server;
    private final long maxValues;

    /**
     * Creates the service.
     *
     * @param server the fed server, which checks the exact length of what it receives
     * @param maxValues the most values a submission may announce
     */
    FedServerGrpcService(FedServer server, long maxValues) {
        this.server = server;
        this.maxValues = maxValues;
    }

    @Override
    public void download(DownloadRequest request, StreamObserver<WeightsChunk> responses) {
        try {
            PeerIdentity.authorize(request.getClientId());
            float[] weights = server.download(request.getClientId(), request.getRound());
            List<WeightsChunk> chunks = WeightsStream.chunks(request.getClientId(), request.getRound(), weights, 0);
            new FlowControlledSender<>((ServerCallStreamObserver<WeightsChunk>) responses).start(chunks.iterator());
        } catch (RuntimeException e) {
            responses.onError(Statuses.toStatus(e));
        }
    }

    @Override
    public StreamObserver<WeightsChunk> submit(StreamObserver<SubmitReply> reply) {
        return new StreamObserver<>() {
            private WeightsHeader header;
            private TensorChunks.Assembler values;
            private boolean failed;

            @Override
            public void onNext(WeightsChunk chunk) {
                if (failed) {
                    return;
                }
                try {
                    if (header == null) {
                        if (!chunk.hasHeader()) {
                            throw TensorChunks.invalid("a submission must start with a header");
                        }
                        header = chunk.getHeader();
                        PeerIdentity.authorize(header.getClientId());
                        TensorHeader tensor = header.getTensor();
                        if (tensor.getDtype() != DType.FLOAT32 || tensor.getShapeCount() != 1) {
                            throw TensorChunks.invalid("client " + header.getClientId()
                                    + " sent weights that are not a float32 vector");
                        }
                        values = new TensorChunks.Assembler(tensor.getShape(0), maxValues,
                                "client " + header.getClientId() + "'s weights");
                    } else if (chunk.hasHeader()) {
                        throw TensorChunks.invalid("a submission carries one header, in its first chunk");
                    }
                    values.add(chunk.getValues());
                } catch (RuntimeException e) {
                    failed = true;
                    reply.onError(Statuses.toStatus(e));
                }
            }

            @Override
            public void onError(Throwable t) {
                failed = true;
            }

            @Override
            public void onCompleted() {
                if (failed) {
                    return;
                }
                try {
                    if (header == null) {
                        throw TensorChunks.invalid("an empty submission");
                    }
                    server.submit(header.getClientId(), header.getRound(), values.finish(), header.getSamples());
                    reply.onNext(SubmitReply.getDefaultInstance());
                    reply.onCompleted();
                } catch (RuntimeException e) {
                    reply.onError(Statuses.toStatus(e));
                }
            }
        };
    }
}
