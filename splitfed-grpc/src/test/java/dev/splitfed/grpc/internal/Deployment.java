package dev.splitfed.grpc.internal;

import com.google.protobuf.ByteString;
import dev.splitfed.compress.Codec;
import dev.splitfed.grpc.Pki;
import dev.splitfed.grpc.TlsMaterial;
import dev.splitfed.grpc.proto.CoordinatorServiceGrpc;
import dev.splitfed.grpc.proto.DType;
import dev.splitfed.grpc.proto.JoinRequest;
import dev.splitfed.grpc.proto.SubmitReply;
import dev.splitfed.grpc.proto.TensorHeader;
import dev.splitfed.grpc.proto.WeightsChunk;
import dev.splitfed.grpc.proto.WeightsHeader;
import dev.splitfed.internal.aggregate.Aggregation;
import dev.splitfed.internal.digest.Sha256;
import dev.splitfed.internal.role.FedAvgServer;
import dev.splitfed.internal.transport.TrafficMeter;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * A deployment's server as {@link RemoteDeployment} assembles it (admission, coordinator, fed
 * server behind the gatekeeper over mutual TLS), around a fed server the test holds, with round 1
 * open for every client: what hostile-client tests run against.
 */
final class Deployment implements AutoCloseable {

    static final int MODEL_SIZE = 10;
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final Pki pki = Pki.create();
    final FedAvgServer fed;
    final Admission admission;
    final Coordinator coordinator;
    final TrafficMeter meter = new TrafficMeter();
    private final AuditLog audit = new AuditLog();
    final RoleServer server;
    private final Map<Integer, ManagedChannel> channels = new HashMap<>();
    private final List<ManagedChannel> others = new ArrayList<>();

    /**
     * Serves round 1 of an {@code fl} run of {@code clients} clients, each holding 100 samples of
     * the server's partition.
     */
    Deployment(int clients) {
        this(clients, TIMEOUT);
    }

    /** As above, with rounds that wait at most {@code roundTimeout} for their clients. */
    Deployment(int clients, Duration roundTimeout) {
        float[] initial = new float[MODEL_SIZE];
        for (int i = 0; i < initial.length; i++) {
            initial[i] = i / 10f;
        }
        fed = new FedAvgServer(initial, Aggregation.fedAvg());
        long[] sizes = new long[clients];
        java.util.Arrays.fill(sizes, 100);
        admission = new Admission(clients, sizes, 1000);
        coordinator = new Coordinator(clients, 1, roundTimeout, false, Map.of("scheme", "fl"), Duration.ofSeconds(20),
                admission);
        server = RoleServer.startDeployment(0, new TlsMaterial(pki.caPem(), pki.server(List.of("localhost"))), false,
                audit, coordinator, new FedServerGrpcService(meter.count(fed, Codec.NONE), GrpcTransport.MAX_VALUES, Codec.NONE,
                        admission, fed, meter));
        fed.beginRound(1, IntStream.range(0, clients).boxed().toList());
    }

    /** Returns the audit log of the server's refusals. */
    AuditLog audit() {
        return audit;
    }

    /** Returns client {@code id}'s channel, with its own certificate. */
    synchronized ManagedChannel channel(int id) {
        return channels.computeIfAbsent(id,
                k -> RoleServer.channel("localhost", server.port(), new TlsMaterial(pki.caPem(), pki.client(k))));
    }

    /** Returns a new channel of client {@code id}'s (one connection of its own). */
    synchronized ManagedChannel newChannel(int id) {
        ManagedChannel c = RoleServer.channel("localhost", server.port(), new TlsMaterial(pki.caPem(), pki.client(id)));
        others.add(c);
        return c;
    }

    void join(int id) {
        CoordinatorServiceGrpc.newBlockingStub(channel(id)).withDeadlineAfter(30, TimeUnit.SECONDS)
                .join(JoinRequest.newBuilder().setClientId(id).build());
    }

    /** Returns the SHA-256 of the fed server's global weights. */
    String modelHash() {
        float[] w = fed.globalWeights();
        ByteBuffer bytes = ByteBuffer.allocate(4 * w.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : w) {
            bytes.putFloat(v);
        }
        MessageDigest digest = Sha256.newDigest();
        digest.update(bytes.array());
        return Sha256.finish(digest);
    }

    /** A submission's first chunk: its header and {@code bytes} payload bytes. */
    static WeightsChunk header(int client, int round, long values, long samples, int bytes) {
        TensorHeader.Builder tensor = TensorHeader.newBuilder().setDtype(DType.FLOAT32).setCodec(Codec.NONE.spec());
        tensor.addShape((int) Math.min(Integer.MAX_VALUE, values));
        return WeightsChunk.newBuilder()
                .setHeader(WeightsHeader.newBuilder().setClientId(client).setRound(round).setTensor(tensor)
                        .setSamples((int) Math.min(Integer.MAX_VALUE, samples)))
                .setValues(ByteString.copyFrom(new byte[bytes])).build();
    }

    /**
     * Sends the chunks as one Submit stream as client {@code as} and returns the status it ends with
     * (OK when accepted); with {@code complete} false the stream is left open after the chunks, so
     * the status can only come from the server refusing what it has.
     */
    Status submit(int as, List<WeightsChunk> chunks, boolean complete) throws Exception {
        CompletableFuture<Status> outcome = new CompletableFuture<>();
        StreamObserver<WeightsChunk> up = openSubmit(channel(as), outcome);
        for (WeightsChunk chunk : chunks) {
            up.onNext(chunk);
        }
        if (complete) {
            up.onCompleted();
        }
        Status status = outcome.get(30, TimeUnit.SECONDS);
        if (!complete) {
            up.onError(Status.CANCELLED.asRuntimeException());
        }
        return status;
    }

    private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /** Sends {@code bytes} as the request of a unary or server-streaming method and returns the call's status. */
    static Status raw(ManagedChannel channel, MethodDescriptor<?, ?> method, byte[] bytes) {
        MethodDescriptor<byte[], byte[]> call = MethodDescriptor.<byte[], byte[]>newBuilder().setType(method.getType())
                .setFullMethodName(method.getFullMethodName()).setRequestMarshaller(RAW).setResponseMarshaller(RAW).build();
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS);
        try {
            if (call.getType() == MethodDescriptor.MethodType.UNARY) {
                ClientCalls.blockingUnaryCall(channel, call, options, bytes);
            } else {
                ClientCalls.blockingServerStreamingCall(channel, call, options, bytes).forEachRemaining(b -> {});
            }
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    /** Opens a Submit stream on the channel; {@code outcome} gets the status it ends with, OK when accepted. */
    static StreamObserver<WeightsChunk> openSubmit(ManagedChannel channel, CompletableFuture<Status> outcome) {
        return dev.splitfed.grpc.proto.FedServerServiceGrpc.newStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .submit(new StreamObserver<SubmitReply>() {
                    @Override
                    public void onNext(SubmitReply value) {}

                    @Override
                    public void onError(Throwable t) {
                        outcome.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        outcome.complete(Status.OK);
                    }
                });
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        others.forEach(ManagedChannel::shutdownNow);
        server.close();
        coordinator.shutdown();
    }
}
