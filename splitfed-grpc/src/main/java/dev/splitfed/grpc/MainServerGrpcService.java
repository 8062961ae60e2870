package dev.splitfed.grpc;

import com.google.protobuf.ByteString;
import dev.splitfed.compress.Codec;
import dev.splitfed.grpc.proto.MainServerServiceGrpc;
import dev.splitfed.grpc.proto.StepChunk;
import dev.splitfed.grpc.proto.StepHeader;
import dev.splitfed.role.MainServer;
import dev.splitfed.role.StepResult;
import dev.splitfed.transport.Tensor;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves a {@link MainServer} over gRPC: one bidirectional stream per client and round, a batch
 * up and its cut-layer gradient down, in turn, all encoded with the run's codec.
 */
final class MainServerGrpcService extends MainServerServiceGrpc.MainServerServiceImplBase {

    private final MainServer server;
    private final long maxValues;
    private final Codec codec;

    /**
     * Creates the service.
     *
     * @param server the main server
     * @param maxValues the most smashed-data values one batch may announce
     * @param codec how smashed data and gradients are encoded
     */
    MainServerGrpcService(MainServer server, long maxValues, Codec codec) {
        this.server = server;
        this.maxValues = maxValues;
        this.codec = codec;
    }

    @Override
    public StreamObserver<StepChunk> step(StreamObserver<StepChunk> responses) {
        FlowControlledSender<StepChunk> sender =
                new FlowControlledSender<>((ServerCallStreamObserver<StepChunk>) responses);
        return new ChunkedRequest<>(responses, "batch", true) {
            private StepHeader header;
            private StepHeader first;

            @Override
            boolean hasHeader(StepChunk chunk) {
                return chunk.hasHeader();
            }

            @Override
            ByteString values(StepChunk chunk) {
                return chunk.getValues();
            }

            @Override
            TensorChunks.Assembler start(StepChunk chunk) {
                header = chunk.getHeader();
                if (first == null) {
                    PeerIdentity.authorize(header.getClientId());
                    first = header;
                } else if (header.getClientId() != first.getClientId() || header.getRound() != first.getRound()) {
                    throw TensorChunks.invalid("a stream carries the batches of one client in one round: client "
                            + first.getClientId() + ", round " + first.getRound());
                }
                if (sender.sending()) {
                    throw TensorChunks.invalid("client " + header.getClientId()
                            + " sent a batch before the previous batch's gradient had arrived");
                }
                // The labels bound the batch (they arrive in one message), before any allocation.
                if (header.getTensor().getShapeCount() < 1 || header.getTensor().getShape(0) != header.getLabelsCount()) {
                    throw TensorChunks.invalid("client " + header.getClientId() + " sent " + header.getLabelsCount()
                            + " labels for smashed data of shape " + header.getTensor().getShapeList());
                }
                return new TensorChunks.Assembler(
                        header.getTensor(), codec, maxValues, "client " + header.getClientId() + "'s smashed data");
            }

            @Override
            void finish(TensorChunks.Assembler batch) {
                int[] labels = header.getLabelsList().stream().mapToInt(Integer::intValue).toArray();
                StepResult result = server.step(
                        header.getClientId(), header.getRound(), new Tensor(batch.shape(), batch.decode()), labels);
                Tensor gradient = result.cutGradient();
                List<StepChunk> reply = new ArrayList<>();
                for (ByteString part : TensorChunks.split(codec.encode(gradient.data()))) {
                    StepChunk.Builder chunk = StepChunk.newBuilder().setValues(part);
                    if (reply.isEmpty()) {
                        chunk.setHeader(StepHeader.newBuilder()
                                .setClientId(header.getClientId())
                                .setRound(header.getRound())
                                .setTensor(TensorChunks.header(gradient.shape(), codec))
                                .setLoss(result.loss()));
                    }
                    reply.add(chunk.build());
                }
                sender.feed(reply.iterator());
            }

            @Override
            void end() {
                server.finished(first.getClientId(), first.getRound());
                sender.finish();
            }
        };
    }
}
