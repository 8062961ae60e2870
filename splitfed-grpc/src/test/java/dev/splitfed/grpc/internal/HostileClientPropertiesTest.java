package dev.splitfed.grpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.grpc.proto.CoordinatorServiceGrpc;
import dev.splitfed.grpc.proto.DownloadRequest;
import dev.splitfed.grpc.proto.FedServerServiceGrpc;
import dev.splitfed.grpc.proto.WeightsChunk;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A hostile client with a valid certificate (client 1's) against a live deployment server over
 * mutual TLS, which has not joined: whatever it sends — submissions with any header and any number
 * of bytes, for itself or another client, and arbitrary bytes to every method but Join — is refused with a status that names a
 * refusal (never UNKNOWN or INTERNAL), the server goes on serving its honest client, and the
 * global model is unchanged.
 */
class HostileClientPropertiesTest {

    private static final Set<Status.Code> REFUSALS = EnumSet.of(Status.Code.INVALID_ARGUMENT,
            Status.Code.PERMISSION_DENIED, Status.Code.FAILED_PRECONDITION, Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.OUT_OF_RANGE);
    private static final int HOSTILE = 1;

    private static Deployment deployment;
    private static String model;

    @BeforeContainer
    static void serve() {
        deployment = new Deployment(3);
        deployment.join(0);
        model = deployment.modelHash();
    }

    @AfterContainer
    static void stop() {
        if (deployment != null) {
            deployment.close();
            deployment = null;
        }
    }

    /** The honest client still gets its weights, and the model is what it was. */
    private static void stillServing() {
        Iterator<WeightsChunk> weights = FedServerServiceGrpc.newBlockingStub(deployment.channel(0))
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .download(DownloadRequest.newBuilder().setClientId(0).setRound(1).build());
        assertThat(weights.next().getHeader().getTensor().getShape(0)).isEqualTo(Deployment.MODEL_SIZE);
        weights.forEachRemaining(chunk -> {});
        assertThat(deployment.modelHash()).isEqualTo(model);
    }

    /** A submission as the hostile client may send it: any ids, round, length, samples and payload. */
    record Submission(int clientId, int round, long values, long samples, List<Integer> chunkBytes, boolean complete) {}

    @Provide
    Arbitrary<Submission> submissions() {
        Arbitrary<Integer> ids = Arbitraries.of(0, 1, 2, 3, -1, 1 << 20);
        Arbitrary<Integer> rounds = Arbitraries.of(0, 1, 2, -5);
        Arbitrary<Long> values = Arbitraries.oneOf(
                Arbitraries.of(0L, 1L, 9L, 10L, 11L, 1L << 28, 1L << 31), Arbitraries.longs().between(0, 100));
        Arbitrary<Long> samples = Arbitraries.oneOf(
                Arbitraries.of(0L, -1L, 100L, 101L, (long) Integer.MAX_VALUE), Arbitraries.longs().between(1, 200));
        Arbitrary<List<Integer>> chunks = Arbitraries.integers().between(0, 200).list().ofMaxSize(4);
        Arbitrary<Boolean> complete = Arbitraries.of(true, false);
        return Combinators.combine(ids, rounds, values, samples, chunks, complete)
                .as((id, round, n, claimed, bytes, ends) -> new Submission(id, round, n, claimed, bytes, ends));
    }

    @Property(tries = 60)
    void anySubmissionOfTheHostileClientIsRefused(@ForAll("submissions") Submission s) throws Exception {
        List<WeightsChunk> chunks = new ArrayList<>();
        List<Integer> sizes = s.chunkBytes().isEmpty() ? List.of(0) : s.chunkBytes();
        chunks.add(Deployment.header(s.clientId(), s.round(), s.values(), s.samples(), sizes.get(0)));
        for (int bytes : sizes.subList(1, sizes.size())) {
            chunks.add(WeightsChunk.newBuilder().setValues(com.google.protobuf.ByteString.copyFrom(new byte[bytes])).build());
        }
        // Left open, a stream must still be refused: the hostile client has not joined, so its header suffices.
        Status status = deployment.submit(HOSTILE, chunks, s.complete());
        assertThat(status.getCode()).as("%s -> %s", s, status).isIn(REFUSALS);
        stillServing();
    }

    @Provide
    Arbitrary<MethodDescriptor<?, ?>> methods() {
        // Not Join: it is the one call a client that has not joined may make, and the hostile client stays out.
        return Arbitraries.of(CoordinatorServiceGrpc.getAwaitTaskMethod(),
                CoordinatorServiceGrpc.getDoneMethod(), CoordinatorServiceGrpc.getHeartbeatMethod(),
                CoordinatorServiceGrpc.getModelStagesMethod(), FedServerServiceGrpc.getDownloadMethod());
    }

    @Property(tries = 80)
    void anyBytesToAnyMethodAreRefused(@ForAll("methods") MethodDescriptor<?, ?> method,
            @ForAll byte[] bytes) {
        Status status = Deployment.raw(deployment.channel(HOSTILE), method, bytes);
        assertThat(status.getCode()).as("%s: %s", method.getBareMethodName(), status).isIn(REFUSALS);
        stillServing();
    }
}
