package dev.splitfed.grpc.internal;

import com.google.protobuf.ByteString;
import dev.splitfed.InvalidInputException;
import dev.splitfed.compress.Codec;
import dev.splitfed.internal.compress.UpdateDecoder;
import dev.splitfed.grpc.proto.DownloadRequest;
import dev.splitfed.grpc.proto.FedServerServiceGrpc;
import dev.splitfed.grpc.proto.SubmitReply;
import dev.splitfed.grpc.proto.WeightsChunk;
import dev.splitfed.grpc.proto.WeightsHeader;
import dev.splitfed.internal.role.FedServer;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;

/** Serves a {@link FedServer} over gRPC: weights stream down and up in chunks. */
public final class FedServerGrpcService extends FedServerServiceGrpc.FedServerServiceImplBase {

    private final FedServer server;
    private final long maxValues;
    private final UpdateDecoder updates;

    /**
     * Creates the service.
     *
     * @param server the fed server, which checks the exact length of what it receives
     * @param maxValues the most values a submission may announce
     * @param codec how submitted weights are encoded
     */
    FedServerGrpcService(FedServer server, long maxValues, Codec codec) {
        this.server = server;
        this.maxValues = maxValues;
        this.updates = new UpdateDecoder(codec);
    }

    @Override
    public void download(DownloadRequest request, StreamObserver<WeightsChunk> responses) {
        try {
            PeerIdentity.authorize(request.getClientId());
            float[] weights = server.download(request.getClientId(), request.getRound());
            updates.sent(request.getClientId(), weights);
            List<WeightsChunk> chunks = WeightsStream.chunks(request.getClientId(), request.getRound(), weights, 0);
            new FlowControlledSender<>((ServerCallStreamObserver<WeightsChunk>) responses).start(chunks.iterator());
        } catch (RuntimeException e) {
            responses.onError(Statuses.toStatus(e));
        }
    }

    @Override
    public StreamObserver<WeightsChunk> submit(StreamObserver<SubmitReply> reply) {
        return new ChunkedRequest<>(reply, "submission", false) {
            private WeightsHeader header;

            @Override
            boolean hasHeader(WeightsChunk chunk) {
                return chunk.hasHeader();
            }

            @Override
            ByteString values(WeightsChunk chunk) {
                return chunk.getValues();
            }

            @Override
            TensorChunks.Assembler start(WeightsChunk first) {
                header = first.getHeader();
                PeerIdentity.authorize(header.getClientId());
                if (header.getTensor().getShapeCount() != 1) {
                    throw TensorChunks.invalid("client " + header.getClientId() + " sent weights that are not a vector");
                }
                return new TensorChunks.Assembler(
                        header.getTensor(), updates.codec(), maxValues, "client " + header.getClientId() + "'s weights");
            }

            @Override
            void finish(TensorChunks.Assembler weights) {
                float[] values;
                try {
                    values = updates.decode(header.getClientId(), weights.payload(), weights.values());
                } catch (InvalidInputException e) {
                    throw TensorChunks.invalid("client " + header.getClientId() + "'s weights do not decode: " + e.getMessage());
                }
                server.submit(header.getClientId(), header.getRound(), values, header.getSamples());
            }

            @Override
            void end() {
                reply.onNext(SubmitReply.getDefaultInstance());
                reply.onCompleted();
            }
        };
    }
}
