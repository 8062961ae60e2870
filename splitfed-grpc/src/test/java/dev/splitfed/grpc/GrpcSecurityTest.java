package dev.splitfed.grpc;

import dev.splitfed.grpc.internal.GrpcFedServer;
import dev.splitfed.grpc.internal.GrpcMainServer;
import dev.splitfed.grpc.internal.GrpcTransport;
import dev.splitfed.grpc.internal.RoleServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.aggregate.Aggregation;
import dev.splitfed.compress.Codec;
import dev.splitfed.grpc.proto.DType;
import dev.splitfed.grpc.proto.FedServerServiceGrpc;
import dev.splitfed.grpc.proto.SubmitReply;
import dev.splitfed.grpc.proto.TensorHeader;
import dev.splitfed.grpc.proto.WeightsChunk;
import dev.splitfed.grpc.proto.WeightsHeader;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.internal.role.FedAvgServer;
import dev.splitfed.internal.role.SplitMainServer;
import dev.splitfed.scheme.OptimizerSpec;
import dev.splitfed.internal.transport.Tensor;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a network can throw at the servers: strangers, impostors and malformed messages are each
 * refused with a status that says why, the servers go on serving, and the global models stay as
 * they were.
 */
class GrpcSecurityTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final Pki pki = Pki.create();
    private final Architecture arch = Architecture.create("mlp", new int[] {4}, 3);
    private final List<ManagedChannel> channels = new ArrayList<>();
    private float[] fedInitial;
    private float[] mainInitial;
    private FedAvgServer fed;
    private SplitMainServer main;
    private RoleServer server;

    @BeforeEach
    void serve() {
        try (ModelPart client = ModelPart.create(arch, 0, 1); ModelPart rest = ModelPart.create(arch, 1, 3)) {
            fedInitial = client.defaultInitialWeights(1, "c");
            mainInitial = rest.defaultInitialWeights(1, "s");
        }
        fed = new FedAvgServer(fedInitial, Aggregation.fedAvg());
        main = SplitMainServer.perClient(arch, SplitLayout.of(arch, 1, LabelSharing.SHARED), mainInitial,
                new OptimizerSpec("sgd", 0.1f, 0), Aggregation.fedAvg());
        fed.beginRound(1, List.of(0, 1));
        main.beginRound(1, List.of(0, 1));
        server = RoleServer.start(0, new TlsMaterial(pki.caPem(), pki.server(List.of("localhost"))), Codec.NONE, fed, main);
    }

    @AfterEach
    void stop() {
        channels.forEach(ManagedChannel::shutdownNow);
        server.close();
    }

    private ManagedChannel channel(TlsMaterial tls) {
        ManagedChannel c = RoleServer.channel("localhost", server.port(), tls);
        channels.add(c);
        return c;
    }

    private ManagedChannel clientChannel(int id) {
        return channel(new TlsMaterial(pki.caPem(), pki.client(id)));
    }

    private static Tensor smashed(int rows, float value) {
        float[] data = new float[rows * 64];
        Arrays.fill(data, value);
        return new Tensor(new int[] {rows, 64}, data);
    }

    @Test
    void aClientActsForItselfOnly() {
        GrpcFedServer asZero = new GrpcFedServer(clientChannel(0), GrpcTransport.MAX_VALUES, TIMEOUT, Codec.NONE);
        assertThat(asZero.download(0, 1)).containsExactly(fedInitial);
        assertThatThrownBy(() -> asZero.submit(1, 1, fedInitial, 10))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("the certificate of client-0 may not act for client 1");
        assertThatThrownBy(() -> new GrpcMainServer(clientChannel(0), TIMEOUT, Codec.NONE).step(1, 1, smashed(2, 0.5f), new int[] {0, 1}))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("may not act for client 1");
    }

    @Test
    void aClientWithoutAValidCertificateIsRefusedAndOthersGoOn() {
        Pki stranger = Pki.create();
        GrpcFedServer unknown = new GrpcFedServer(
                channel(new TlsMaterial(pki.caPem(), stranger.client(0))), GrpcTransport.MAX_VALUES, TIMEOUT, Codec.NONE);
        assertThatThrownBy(() -> unknown.download(0, 1)).isInstanceOf(TransportException.class)
                .hasMessageContaining("UNAVAILABLE");
        GrpcFedServer plaintext = new GrpcFedServer(channel(null), GrpcTransport.MAX_VALUES, TIMEOUT, Codec.NONE);
        assertThatThrownBy(() -> plaintext.download(0, 1)).isInstanceOf(TransportException.class);
        assertThat(new GrpcFedServer(clientChannel(0), GrpcTransport.MAX_VALUES, TIMEOUT, Codec.NONE).download(0, 1))
                .containsExactly(fedInitial);
    }

    @Test
    void badMessagesAreRefusedWithAReasonAndTheModelsStayUntouched() throws Exception {
        GrpcMainServer mainAsZero = new GrpcMainServer(clientChannel(0), TIMEOUT, Codec.NONE);
        GrpcFedServer fedAsZero = new GrpcFedServer(clientChannel(0), GrpcTransport.MAX_VALUES, TIMEOUT, Codec.NONE);
        assertThatThrownBy(() -> mainAsZero.step(0, 1, new Tensor(new int[] {2, 63}, new float[126]), new int[] {0, 1}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("shape [2, 63]");
        Tensor nan = smashed(2, 0.5f);
        nan.data()[3] = Float.NaN;
        assertThatThrownBy(() -> mainAsZero.step(0, 1, nan, new int[] {0, 1}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> fedAsZero.submit(0, 1, new float[] {Float.POSITIVE_INFINITY}, 3))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("holds Infinity at index 0, expected finite values");
        assertThatThrownBy(() -> fedAsZero.download(0, 2))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("round 2 during round 1");
        assertThatThrownBy(() -> fedAsZero.submit(0, 1, new float[fedInitial.length + 1], 3))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("expected " + fedInitial.length);
        GrpcFedServer asFive = new GrpcFedServer(clientChannel(5), GrpcTransport.MAX_VALUES, TIMEOUT, Codec.NONE);
        assertThatThrownBy(() -> asFive.download(5, 1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("client 5 is not taking part in round 1");

        // Hand-made streams: more values than announced, fewer (truncated), more than any limit.
        assertThat(rawSubmit(0, 10, 12)).contains("more than the 40 bytes their shape and codec announce");
        assertThat(rawSubmit(0, 10, 6)).contains("truncated: 24 of 40 bytes arrived");
        assertThat(rawSubmit(0, GrpcTransport.MAX_VALUES + 1, 0)).contains("at most " + GrpcTransport.MAX_VALUES);

        fed.endRound();
        main.endRound();
        assertThat(fed.globalWeights()).containsExactly(fedInitial);
        assertThat(main.globalWeights()).containsExactly(mainInitial);
    }

    /** Submits {@code sent} values after announcing {@code announced}; returns the refusal's description. */
    private String rawSubmit(int clientId, long announced, int sent) throws InterruptedException, ExecutionException {
        CompletableFuture<String> refusal = new CompletableFuture<>();
        StreamObserver<WeightsChunk> requests = FedServerServiceGrpc.newStub(clientChannel(clientId))
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .submit(new StreamObserver<SubmitReply>() {
                    @Override
                    public void onNext(SubmitReply value) {
                        refusal.complete("accepted");
                    }

                    @Override
                    public void onError(Throwable t) {
                        refusal.complete(Status.fromThrowable(t).getCode() + ": " + Status.fromThrowable(t).getDescription());
                    }

                    @Override
                    public void onCompleted() {
                        refusal.complete("accepted");
                    }
                });
        ByteBuffer values = ByteBuffer.allocate(sent * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < sent; i++) {
            values.putFloat(0.25f);
        }
        requests.onNext(WeightsChunk.newBuilder()
                .setHeader(WeightsHeader.newBuilder().setClientId(clientId).setRound(1).setSamples(3)
                        .setTensor(TensorHeader.newBuilder().addShape((int) Math.min(Integer.MAX_VALUE, announced))
                                .setDtype(DType.FLOAT32)))
                .setValues(ByteString.copyFrom(values.array()))
                .build());
        requests.onCompleted();
        String answer = refusal.get();
        assertThat(answer).startsWith("INVALID_ARGUMENT");
        return answer;
    }
}
