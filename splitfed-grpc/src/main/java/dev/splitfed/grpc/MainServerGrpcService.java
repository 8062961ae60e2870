package dev.splitfed.grpc;

import com.google.protobuf.ByteString;
import dev.splitfed.grpc.proto.DType;
import dev.splitfed.grpc.proto.MainServerServiceGrpc;
import dev.splitfed.grpc.proto.StepChunk;
import dev.splitfed.grpc.proto.StepHeader;
import dev.splitfed.grpc.proto.TensorHeader;
import dev.splitfed.role.MainServer;
import dev.splitfed.role.StepResult;
import dev.splitfed.transport.Tensor;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/** Serves a {@link MainServer} over gRPC: one bidirectional stream per batch. */
final class MainServerGrpcService extends MainServerServiceGrpc.MainServerServiceImplBase {

    private final MainServer server;
    private final long maxValues;

    /**
     * Creates the service.
     *
     * @param server the main server
     * @param maxValues the most smashed-data values one batch may announce
     */
    MainServerGrpcService(MainServer server, long maxValues) {
        this.server = server;
        this.maxValues = maxValues;
    }

    @Override
    public StreamObserver<StepChunk> step(StreamObserver<StepChunk> responses) {
        FlowControlledSender<StepChunk> sender =
                new FlowControlledSender<>((ServerCallStreamObserver<StepChunk>) responses);
        return new ChunkedRequest<>(responses, "batch") {
            private StepHeader header;
            private int[] shape;

            @Override
            boolean hasHeader(StepChunk chunk) {
                return chunk.hasHeader();
            }

            @Override
            ByteString values(StepChunk chunk) {
                return chunk.getValues();
            }

            @Override
            TensorChunks.Assembler start(StepChunk first) {
                header = first.getHeader();
                PeerIdentity.authorize(header.getClientId());
                TensorHeader tensor = header.getTensor();
                if (tensor.getDtype() != DType.FLOAT32 || tensor.getShapeCount() < 1) {
                    throw TensorChunks.invalid("client " + header.getClientId()
                            + " sent smashed data that is not a float32 tensor");
                }
                shape = tensor.getShapeList().stream().mapToInt(Integer::intValue).toArray();
                long n = 1;
                for (int d : shape) {
                    if (d < 1) {
                        throw TensorChunks.invalid("client " + header.getClientId() + " sent smashed data with a dimension < 1");
                    }
                    // Past the limit the product only has to stay past it (the assembler refuses it).
                    n = n > maxValues ? n : n * d;
                }
                return new TensorChunks.Assembler(n, maxValues, "client " + header.getClientId() + "'s smashed data");
            }

            @Override
            void finish(float[] smashed) {
                int[] labels = header.getLabelsList().stream().mapToInt(Integer::intValue).toArray();
                StepResult result = server.step(header.getClientId(), header.getRound(), new Tensor(shape, smashed), labels);
                List<StepChunk> reply = new ArrayList<>();
                for (ByteString part : TensorChunks.split(result.cutGradient().data())) {
                    StepChunk.Builder chunk = StepChunk.newBuilder().setValues(part);
                    if (reply.isEmpty()) {
                        TensorHeader.Builder tensor = TensorHeader.newBuilder().setDtype(DType.FLOAT32);
                        for (int d : result.cutGradient().shape()) {
                            tensor.addShape(d);
                        }
                        chunk.setHeader(StepHeader.newBuilder()
                                .setClientId(header.getClientId())
                                .setRound(header.getRound())
                                .setTensor(tensor)
                                .setLoss(result.loss()));
                    }
                    reply.add(chunk.build());
                }
                sender.start(reply.iterator());
            }
        };
    }
}
