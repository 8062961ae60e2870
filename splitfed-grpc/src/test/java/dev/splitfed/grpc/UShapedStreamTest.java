package dev.splitfed.grpc;

import dev.splitfed.grpc.internal.GrpcMainServer;
import dev.splitfed.grpc.internal.RoleServer;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.splitfed.internal.aggregate.Aggregation;
import dev.splitfed.compress.Codec;
import dev.splitfed.internal.compress.CodecMainServer;
import dev.splitfed.grpc.proto.DType;
import dev.splitfed.grpc.proto.MainServerServiceGrpc;
import dev.splitfed.grpc.proto.StepChunk;
import dev.splitfed.grpc.proto.StepHeader;
import dev.splitfed.grpc.proto.StepKind;
import dev.splitfed.grpc.proto.TensorHeader;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.internal.role.MainServer;
import dev.splitfed.internal.role.SplitMainServer;
import dev.splitfed.internal.role.StepResult;
import dev.splitfed.scheme.OptimizerSpec;
import dev.splitfed.internal.transport.Tensor;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Private labels on the step stream: a forward and a backward exchange per batch, no label on the
 * wire, every tensor in the run's codec, and malformed or out-of-order tensors refused at the door.
 */
class UShapedStreamTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    // mlp on 4 features, 3 classes, cut 1: smashed data [rows, 64], the middle's output [rows, 32].
    private final Architecture arch = Architecture.create("mlp", new int[] {4}, 3);
    private final SplitLayout layout = SplitLayout.of(arch, 1, LabelSharing.PRIVATE);
    private RoleServer server;
    private ManagedChannel channel;

    // The twin runs on a fresh thread of its own, as the served main server does on its engine
    // thread: PyTorch's threading settings are per thread, and the test thread's differ from a
    // fresh thread's in the last bits of a reduction.
    private final ExecutorService twinThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
        twinThread.shutdownNow();
    }

    private <T> T onTwinThread(Callable<T> call) throws ExecutionException, InterruptedException {
        Future<T> result = twinThread.submit(call);
        return result.get();
    }

    private SplitMainServer freshMain() {
        float[] initial;
        try (ModelPart middle = ModelPart.create(arch, 1, 2)) {
            initial = middle.defaultInitialWeights(1, "m");
        }
        SplitMainServer main = SplitMainServer.perClient(arch, layout, initial, new OptimizerSpec("sgd", 0.1f, 0.9f),
                Aggregation.fedAvg());
        main.beginRound(1, List.of(0));
        return main;
    }

    private static Tensor tensor(int[] shape, int seed) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = (float) Math.sin(seed * 31 + i * 0.37);
        }
        return new Tensor(shape, data);
    }

    private void serve(Codec codec, MainServer main) {
        server = RoleServer.start(0, null, codec, null, main);
        channel = RoleServer.channel("localhost", server.port(), null);
    }

    @Test
    void int8ForwardAndBackwardOverOneStreamEqualTheInProcessRoundTripAndCarryNoLabel() throws Exception {
        Codec int8 = Codec.parse("int8");
        SplitMainServer remoteMain = freshMain();
        SplitMainServer twinMain = freshMain();
        MainServer twin = new CodecMainServer(twinMain, int8);
        AtomicInteger labelled = new AtomicInteger();
        serve(int8, new MainServer() {
            @Override
            public StepResult step(int clientId, int round, Tensor smashed, int[] labels) {
                labelled.incrementAndGet();
                return remoteMain.step(clientId, round, smashed, labels);
            }

            @Override
            public Tensor forward(int clientId, int round, Tensor smashed) {
                return remoteMain.forward(clientId, round, smashed);
            }

            @Override
            public Tensor backward(int clientId, int round, Tensor gradient) {
                return remoteMain.backward(clientId, round, gradient);
            }
        });
        GrpcMainServer stub = new GrpcMainServer(channel, TIMEOUT, int8);
        for (int b = 0; b < 3; b++) {
            int rows = b == 2 ? 2 : 5;
            Tensor smashed = tensor(new int[] {rows, 64}, b);
            Tensor remoteMiddle = stub.forward(0, 1, smashed);
            Tensor directMiddle = onTwinThread(() -> twin.forward(0, 1, smashed));
            assertThat(remoteMiddle.shape()).containsExactly(rows, 32);
            assertThat(remoteMiddle.data()).containsExactly(directMiddle.data());
            Tensor gradient = tensor(new int[] {rows, 32}, 10 + b);
            Tensor remoteCut = stub.backward(0, 1, gradient);
            Tensor directCut = onTwinThread(() -> twin.backward(0, 1, gradient));
            assertThat(remoteCut.shape()).containsExactly(rows, 64);
            assertThat(remoteCut.data()).containsExactly(directCut.data());
        }
        stub.finished(0, 1);
        assertThat(labelled).hasValue(0);
        remoteMain.endRound();
        twinMain.endRound();
        assertThat(remoteMain.globalWeights()).containsExactly(twinMain.globalWeights());
    }

    @Test
    void uShapedTensorsAreCheckedAtTheDoor() throws InterruptedException {
        SplitMainServer main = freshMain();
        float[] before = main.globalWeights();
        serve(Codec.NONE, main);
        assertThat(converse(chunk(StepKind.FORWARD, new int[] {2, 64}, new int[] {0, 1})))
                .isEqualTo("INVALID_ARGUMENT: client 0 sent labels with a FORWARD tensor, which carries none");
        assertThat(converse(chunk(StepKind.BACKWARD, new int[] {2, 32}, new int[0])))
                .isEqualTo("INVALID_ARGUMENT: client 0 sent a gradient of shape [2, 32], expected smashed data first");
        assertThat(converse(chunk(StepKind.FORWARD, new int[] {2, 64}, new int[0]),
                chunk(StepKind.BACKWARD, new int[] {2, 33}, new int[0])))
                .isEqualTo("INVALID_ARGUMENT: client 0 sent a gradient of shape [2, 33], expected [2, 32]");
        assertThat(converse(chunk(StepKind.FORWARD, new int[] {2, 64}, new int[0]),
                chunk(StepKind.FORWARD, new int[] {2, 64}, new int[0])))
                .isEqualTo("INVALID_ARGUMENT: client 0 sent smashed data before the gradient of its previous batch's "
                        + "middle output");
        assertThat(converse(chunk(StepKind.LABELLED_STEP, new int[] {2, 64}, new int[] {0, 1})))
                .startsWith("INVALID_ARGUMENT: client 0 sent labels, but this run keeps them on the clients");
        StepChunk nan = chunk(StepKind.FORWARD, new int[] {1, 64}, new int[0]);
        ByteBuffer bytes = ByteBuffer.allocate(64 * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putFloat(Float.NaN);
        assertThat(converse(nan.toBuilder().setValues(ByteString.copyFrom(bytes.array())).build()))
                .contains("NaN");
        // A well-formed batch still passes, and nothing refused reached the model.
        assertThat(converse(chunk(StepKind.FORWARD, new int[] {2, 64}, new int[0]),
                chunk(StepKind.BACKWARD, new int[] {2, 32}, new int[0]))).isEqualTo("accepted");
        main.endRound();
        float[] after = main.globalWeights();
        assertThat(after).as("the accepted batch stepped the middle").isNotEqualTo(before);
    }

    private static StepChunk chunk(StepKind kind, int[] shape, int[] labels) {
        int n = 1;
        TensorHeader.Builder tensor = TensorHeader.newBuilder().setDtype(DType.FLOAT32);
        for (int d : shape) {
            n *= d;
            tensor.addShape(d);
        }
        ByteBuffer values = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            values.putFloat(0.01f * (i % 7));
        }
        StepHeader.Builder header = StepHeader.newBuilder().setClientId(0).setRound(1).setKind(kind).setTensor(tensor);
        for (int label : labels) {
            header.addLabels(label);
        }
        return StepChunk.newBuilder().setHeader(header).setValues(ByteString.copyFrom(values.array())).build();
    }

    /**
     * Sends each tensor on one stream after the answer to the one before; returns the refusal, or
     * "accepted" if every tensor was answered.
     */
    private String converse(StepChunk... tensors) throws InterruptedException {
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        StreamObserver<StepChunk> requests = MainServerServiceGrpc.newStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .step(new StreamObserver<>() {
                    @Override
                    public void onNext(StepChunk value) {
                        events.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        events.add(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        events.add("completed");
                    }
                });
        for (StepChunk t : tensors) {
            requests.onNext(t);
            Object event = events.poll(30, TimeUnit.SECONDS);
            if (event instanceof Status status) {
                return status.getCode() + ": " + status.getDescription();
            }
            assertThat(event).isInstanceOf(StepChunk.class);
        }
        requests.onCompleted();
        assertThat(events.poll(30, TimeUnit.SECONDS)).isEqualTo("completed");
        return "accepted";
    }
}
