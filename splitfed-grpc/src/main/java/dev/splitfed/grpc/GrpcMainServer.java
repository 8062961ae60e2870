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
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A remote main server as a client calls it: the {@link MainServer} interface over gRPC. */
public final class GrpcMainServer implements MainServer {

    private final Channel channel;
    private final Duration timeout;

    /**
     * Creates the stub.
     *
     * @param channel the connection to the main server
     * @param timeout how long one batch may take
     */
    public GrpcMainServer(Channel channel, Duration timeout) {
        this.channel = channel;
        this.timeout = timeout;
    }

    @Override
    public StepResult step(int clientId, int round, Tensor smashed, int[] labels) {
        List<StepChunk> request = new ArrayList<>();
        for (ByteString values : TensorChunks.split(smashed.data())) {
            StepChunk.Builder chunk = StepChunk.newBuilder().setValues(values);
            if (request.isEmpty()) {
                TensorHeader.Builder tensor = TensorHeader.newBuilder().setDtype(DType.FLOAT32);
                for (int d : smashed.shape()) {
                    tensor.addShape(d);
                }
                StepHeader.Builder header =
                        StepHeader.newBuilder().setClientId(clientId).setRound(round).setTensor(tensor);
                for (int label : labels) {
                    header.addLabels(label);
                }
                chunk.setHeader(header);
            }
            request.add(chunk.build());
        }
        CompletableFuture<StepResult> done = new CompletableFuture<>();
        MainServerServiceGrpc.newStub(channel)
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .step(new ClientResponseObserver<StepChunk, StepChunk>() {
                    private StepHeader header;
                    private TensorChunks.Assembler values;

                    @Override
                    public void beforeStart(ClientCallStreamObserver<StepChunk> requests) {
                        new FlowControlledSender<>(requests).queue(request.iterator());
                    }

                    @Override
                    public void onNext(StepChunk chunk) {
                        try {
                            if (header == null) {
                                if (!chunk.hasHeader()) {
                                    throw TensorChunks.invalid("the main server's gradient lacks its header");
                                }
                                header = chunk.getHeader();
                                values = new TensorChunks.Assembler(
                                        smashed.size(), smashed.size(), "the main server's cut-layer gradient");
                            }
                            values.add(chunk.getValues());
                        } catch (RuntimeException e) {
                            done.completeExceptionally(e);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        try {
                            if (header == null) {
                                throw TensorChunks.invalid("the main server sent no gradient");
                            }
                            int[] shape = header.getTensor().getShapeList().stream().mapToInt(Integer::intValue).toArray();
                            done.complete(new StepResult(new Tensor(shape, values.finish()), header.getLoss()));
                        } catch (RuntimeException e) {
                            done.completeExceptionally(e);
                        }
                    }
                });
        return Calls.await(done, "client " + clientId + "'s batch in round " + round);
    }
}
