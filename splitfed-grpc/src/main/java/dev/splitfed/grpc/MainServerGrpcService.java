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
        return new StreamObserver<>() {
            private StepHeader header;
            private int[] shape;
            private TensorChunks.Assembler values;
            private boolean failed;

            @Override
            public void onNext(StepChunk chunk) {
                if (failed) {
                    return;
                }
                try {
                    if (header == null) {
                        if (!chunk.hasHeader()) {
                            throw TensorChunks.invalid("a batch must start with a header");
                        }
                        header = chunk.getHeader();
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
                                throw TensorChunks.invalid("client " + header.getClientId()
                                        + " sent smashed data with a dimension < 1");
                            }
                            // Past the limit the product only has to stay past it (the assembler refuses it).
                            n = n > maxValues ? n : n * d;
                        }
                        values = new TensorChunks.Assembler(n, maxValues,
                                "client " + header.getClientId() + "'s smashed data");
                    } else if (chunk.hasHeader()) {
                        throw TensorChunks.invalid("a batch carries one header, in its first chunk");
                    }
                    values.add(chunk.getValues());
                } catch (RuntimeException e) {
                    failed = true;
                    responses.onError(Statuses.toStatus(e));
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
                        throw TensorChunks.invalid("an empty batch");
                    }
                    int[] labels = header.getLabelsList().stream().mapToInt(Integer::intValue).toArray();
                    StepResult result = server.step(
                            header.getClientId(), header.getRound(), new Tensor(shape, values.finish()), labels);
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
                } catch (RuntimeException e) {
                    responses.onError(Statuses.toStatus(e));
                }
            }
        };
    }
}
