package dev.splitfed.grpc;

import dev.splitfed.grpc.internal.GrpcFedServer;
import dev.splitfed.grpc.internal.GrpcMainServer;
import dev.splitfed.grpc.internal.RoleServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.aggregate.Aggregation;
import dev.splitfed.compress.Codec;
import dev.splitfed.internal.compress.CodecMainServer;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.internal.role.FedAvgServer;
import dev.splitfed.internal.role.MainServer;
import dev.splitfed.internal.role.SplitMainServer;
import dev.splitfed.internal.role.StepResult;
import dev.splitfed.scheme.OptimizerSpec;
import dev.splitfed.internal.transport.Tensor;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client's batches in a round travel on one stream, each answered in turn, in the run's codec. */
class StepStreamTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final Architecture arch = Architecture.create("mlp", new int[] {4}, 3);
    private RoleServer server;
    private ManagedChannel channel;

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
    }

    private SplitMainServer freshMain() {
        float[] initial;
        try (ModelPart rest = ModelPart.create(arch, 1, 3)) {
            initial = rest.defaultInitialWeights(1, "s");
        }
        SplitMainServer main = SplitMainServer.perClient(arch, SplitLayout.of(arch, 1, LabelSharing.SHARED), initial,
                new OptimizerSpec("sgd", 0.1f, 0.9f), Aggregation.fedAvg());
        main.beginRound(1, List.of(0));
        return main;
    }

    private static Tensor batch(int rows, int seed) {
        float[] data = new float[rows * 64];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) Math.sin(seed * 31 + i * 0.37);
        }
        return new Tensor(new int[] {rows, 64}, data);
    }

    private void serve(Codec codec, MainServer main) {
        server = RoleServer.start(0, null, codec, null, main);
        channel = RoleServer.channel("localhost", server.port(), null);
    }

    @Test
    void aRoundsBatchesShareOneStreamAndMatchDirectCalls() {
        SplitMainServer remoteMain = freshMain();
        SplitMainServer twin = freshMain();
        AtomicInteger streamsEnded = new AtomicInteger();
        serve(Codec.NONE, new MainServer() {
            @Override
            public StepResult step(int clientId, int round, Tensor smashed, int[] labels) {
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

            @Override
            public void finished(int clientId, int round) {
                streamsEnded.incrementAndGet();
            }
        });
        GrpcMainServer stub = new GrpcMainServer(channel, TIMEOUT, Codec.NONE);
        for (int b = 0; b < 4; b++) {
            Tensor smashed = batch(b == 3 ? 2 : 5, b);
            int[] labels = b == 3 ? new int[] {2, 0} : new int[] {0, 1, 2, 1, 0};
            StepResult remote = stub.step(0, 1, smashed, labels);
            StepResult direct = twin.step(0, 1, smashed, labels);
            assertThat(remote.cutGradient().shape()).containsExactly(direct.cutGradient().shape());
            // The twin computes on this thread, the served one on a gRPC thread; after some runs earlier in this
            // JVM the two differ in the last bits (other float-sum orders), so equal within 1e-6.
            assertThat(remote.cutGradient().data()).containsExactly(direct.cutGradient().data(), within(1e-6f));
            assertThat(remote.loss()).isCloseTo(direct.loss(), within(1e-6f));
        }
        assertThat(streamsEnded).hasValue(0);
        stub.finished(0, 1);
        remoteMain.endRound();
        twin.endRound();
        assertThat(streamsEnded).hasValue(1);
        assertThat(remoteMain.globalWeights()).containsExactly(twin.globalWeights(), within(1e-6f));
    }

    @Test
    void int8OverTheWireEqualsTheInProcessRoundTrip() {
        SplitMainServer remoteMain = freshMain();
        MainServer twin = new CodecMainServer(freshMain(), Codec.parse("int8"));
        serve(Codec.parse("int8"), remoteMain);
        GrpcMainServer stub = new GrpcMainServer(channel, TIMEOUT, Codec.parse("int8"));
        for (int b = 0; b < 3; b++) {
            StepResult remote = stub.step(0, 1, batch(5, b), new int[] {0, 1, 2, 1, 0});
            StepResult direct = twin.step(0, 1, batch(5, b), new int[] {0, 1, 2, 1, 0});
            // int8 quantises the gradient to steps of about max|g| / 127: agreement within one step says the wire
            // added nothing (the two threads may differ in the last bits, as above, which can move a value that
            // sits on a rounding boundary by one step).
            float[] want = direct.cutGradient().data();
            float step = 0;
            for (float v : want) {
                step = Math.max(step, Math.abs(v));
            }
            assertThat(remote.cutGradient().data()).containsExactly(want, within(step / 127 * 1.01f + 1e-7f));
            assertThat(remote.loss()).isCloseTo(direct.loss(), within(1e-6f));
        }
        stub.close();
    }

    @Test
    void aCodecOtherThanTheRunsIsRefused() {
        serve(Codec.NONE, freshMain());
        GrpcMainServer int8 = new GrpcMainServer(channel, TIMEOUT, Codec.parse("int8"));
        assertThatThrownBy(() -> int8.step(0, 1, batch(2, 1), new int[] {0, 1}))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("client 0's smashed data are encoded as int8, but this run uses none");
        // The refusal ends that stream only: a client that speaks the run's codec is served.
        GrpcMainServer plain = new GrpcMainServer(channel, TIMEOUT, Codec.NONE);
        assertThat(plain.step(0, 1, batch(2, 1), new int[] {0, 1}).cutGradient().size()).isEqualTo(128);
        plain.close();

        FedAvgServer fed = new FedAvgServer(new float[] {1, 2, 3}, Aggregation.fedAvg());
        fed.beginRound(1, List.of(0));
        server.close();
        server = RoleServer.start(0, null, Codec.NONE, fed, null);
        channel.shutdownNow();
        channel = RoleServer.channel("localhost", server.port(), null);
        GrpcFedServer lossy = new GrpcFedServer(channel, 100, TIMEOUT, Codec.parse("fp16"));
        lossy.download(0, 1);
        assertThatThrownBy(() -> lossy.submit(0, 1, new float[] {1, 2, 4}, 5))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("client 0's weights are encoded as fp16, but this run uses none");
    }
}
