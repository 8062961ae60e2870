package dev.splitfed.grpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.grpc.proto.CoordinatorServiceGrpc;
import dev.splitfed.grpc.proto.DownloadRequest;
import dev.splitfed.grpc.proto.FedServerServiceGrpc;
import dev.splitfed.grpc.proto.HeartbeatRequest;
import dev.splitfed.grpc.proto.JoinRequest;
import dev.splitfed.grpc.proto.RoundReport;
import dev.splitfed.grpc.proto.Task;
import dev.splitfed.grpc.proto.TaskRequest;
import dev.splitfed.grpc.proto.WeightsChunk;
import dev.splitfed.internal.role.ClientReport;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A deployment's server bounded by construction: what a client announces is checked against what
 * the server expects before it is buffered, what it claims is bounded by what the server knows,
 * waiting polls hold no thread, and one certificate holds a bounded number of calls.
 */
class BoundedServerTest {

    private static final int VALUES = Deployment.MODEL_SIZE;

    private static Status status(Runnable call) {
        try {
            call.run();
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    @Test
    void sixAnnouncementsOfAGibibyteAreRefusedAtTheirHeadersAndNothingIsCountedAsTraffic() throws Exception {
        try (Deployment d = new Deployment(2)) {
            d.join(0);
            String before = d.modelHash();
            List<CompletableFuture<Status>> streams = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                // 2^28 values announced, 1 KiB sent, the stream left open: only the header can refuse it.
                streams.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return d.submit(0, List.of(Deployment.header(0, 1, 1L << 28, 100, 1024)), false);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (CompletableFuture<Status> s : streams) {
                Status status = s.get(30, TimeUnit.SECONDS);
                assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(status.getDescription())
                        .isEqualTo("client 0 announced 268435456 values for round 1; the server expects exactly " + VALUES);
            }
            assertThat(d.meter.bytesRefused()).isEqualTo(6 * 1024);
            assertThat(d.meter.bytesUp()).isZero();
            assertThat(d.modelHash()).isEqualTo(before);
        }
    }

    @Test
    void aSampleCountBeyondTheClientsShareIsRefusedAndAValidOneIsCountedAsTraffic() throws Exception {
        try (Deployment d = new Deployment(2)) {
            d.join(0);
            for (long samples : new long[] {0, -1, 101, Integer.MAX_VALUE}) {
                Status s = d.submit(0, List.of(Deployment.header(0, 1, VALUES, samples, 4 * VALUES)), true);
                assertThat(s.getCode()).as("samples %d", samples).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(s.getDescription()).contains("it may claim 1 to 100");
            }
            assertThat(d.meter.bytesRefused()).isEqualTo(4 * 4 * VALUES);
            assertThat(d.submit(0, List.of(Deployment.header(0, 1, VALUES, 100, 4 * VALUES)), true)).isEqualTo(Status.OK);
            // What was accepted: the payload and the sample count's four bytes.
            assertThat(d.meter.bytesUp()).isEqualTo(4 * VALUES + 4);
            assertThat(d.admission.hasHandedIn(0, 1)).isTrue();
        }
    }

    @Test
    void aClientWithDataOfItsOwnIsBoundedByWhatItDeclaredAtJoinWithinTheServersLimit() throws Exception {
        try (Deployment d = new Deployment(2)) {
            var stub = CoordinatorServiceGrpc.newBlockingStub(d.channel(0)).withDeadlineAfter(30, TimeUnit.SECONDS);
            // The server's limit is 1,000 declared samples.
            Status tooMany = status(() -> stub.join(JoinRequest.newBuilder().setClientId(0).setSamples(1001)
                    .setOwnData(true).build()));
            assertThat(tooMany.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(tooMany.getDescription()).isEqualTo(
                    "client 0 declared 1001 training samples; this server accepts at most 1000 ({max-client-samples})");
            stub.join(JoinRequest.newBuilder().setClientId(0).setSamples(500).setOwnData(true).build());
            // Its share of the server's partition (100) no longer bounds it; its declaration (500) does.
            assertThat(d.submit(0, List.of(Deployment.header(0, 1, VALUES, 501, 4 * VALUES)), true).getCode())
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(d.submit(0, List.of(Deployment.header(0, 1, VALUES, 500, 4 * VALUES)), true)).isEqualTo(Status.OK);
            Status changed = status(() -> stub.join(JoinRequest.newBuilder().setClientId(0).setSamples(600)
                    .setOwnData(true).build()));
            assertThat(changed.getDescription()).contains("a client's count is fixed when it first joins");
        }
    }

    @Test
    void everyCallButJoinFromAClientThatHasNotJoinedIsAFailedPrecondition() throws Exception {
        try (Deployment d = new Deployment(2)) {
            var coordinator = CoordinatorServiceGrpc.newBlockingStub(d.channel(1)).withDeadlineAfter(30, TimeUnit.SECONDS);
            var fed = FedServerServiceGrpc.newBlockingStub(d.channel(1)).withDeadlineAfter(30, TimeUnit.SECONDS);
            List<Status> statuses = List.of(
                    status(() -> coordinator.heartbeat(HeartbeatRequest.newBuilder().setClientId(1).build())),
                    status(() -> coordinator.awaitTask(TaskRequest.newBuilder().setClientId(1).build())),
                    status(() -> coordinator.done(RoundReport.newBuilder().setClientId(1).setRound(1).build())),
                    status(() -> fed.download(DownloadRequest.newBuilder().setClientId(1).setRound(1).build()).hasNext()),
                    d.submit(1, List.of(Deployment.header(1, 1, VALUES, 10, 4 * VALUES)), true));
            for (Status s : statuses) {
                assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(s.getDescription()).isEqualTo("client 1 has not joined; call Join first");
            }
            d.join(1);
            assertThat(status(() -> coordinator.heartbeat(HeartbeatRequest.newBuilder().setClientId(1).build())))
                    .isEqualTo(Status.OK);
        }
    }

    @Test
    void aReportWithoutAnAcceptedUpdateDoesNotTakePartInTheRound() throws Exception {
        // Client 1 stays connected without a counted report: the round ends at its 3 s deadline.
        try (Deployment d = new Deployment(2, java.time.Duration.ofSeconds(3))) {
            d.join(0);
            d.join(1);
            CompletableFuture<List<ClientReport>> round = CompletableFuture.supplyAsync(
                    () -> d.coordinator.train(1, List.of(0, 1), Map.of()));
            var c0 = CoordinatorServiceGrpc.newBlockingStub(d.channel(0)).withDeadlineAfter(30, TimeUnit.SECONDS);
            var c1 = CoordinatorServiceGrpc.newBlockingStub(d.channel(1)).withDeadlineAfter(30, TimeUnit.SECONDS);
            assertThat(c0.awaitTask(TaskRequest.newBuilder().setClientId(0).build()).getKind()).isEqualTo(Task.Kind.TRAIN);
            assertThat(c1.awaitTask(TaskRequest.newBuilder().setClientId(1).build()).getKind()).isEqualTo(Task.Kind.TRAIN);
            RoundReport bare = RoundReport.newBuilder().setClientId(1).setRound(1).setSamplesSeen(100).setLossSum(1).build();
            Status refused = status(() -> c1.done(bare));
            assertThat(refused.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(refused.getDescription()).contains("client 1 reported round 1 done without a valid update");
            assertThat(d.submit(0, List.of(Deployment.header(0, 1, VALUES, 100, 4 * VALUES)), true)).isEqualTo(Status.OK);
            c0.done(RoundReport.newBuilder().setClientId(0).setRound(1).setSamplesSeen(100).setLossSum(2).build());
            assertThat(round.get(60, TimeUnit.SECONDS)).extracting(ClientReport::clientId).containsExactly(0);
        }
    }

    @Test
    void aMalformedRequestIsAnInvalidArgumentInOneLogLine() throws Exception {
        try (Deployment d = new Deployment(2)) {
            long lines = d.audit().lines();
            // A varint field's tag with its value cut off.
            Status join = Deployment.raw(d.channel(0), CoordinatorServiceGrpc.getJoinMethod(), new byte[] {0x08});
            assertThat(join.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(join.getDescription()).isEqualTo("the request is not a valid JoinRequest message");
            for (int i = 0; i < 5; i++) {
                Deployment.raw(d.channel(0), CoordinatorServiceGrpc.getJoinMethod(), new byte[] {0x08});
            }
            // One line for the six refusals within the minute.
            assertThat(d.audit().lines()).isEqualTo(lines + 1);
            d.join(0);
        }
    }

    private static long callThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("splitfed-call-")).count();
    }

    @Test
    void waitingPollsHoldNoThread() throws Exception {
        int clients = 60;
        try (Deployment d = new Deployment(clients)) {
            for (int id = 0; id < clients; id++) {
                d.join(id);
            }
            int threadsBefore = Thread.activeCount();
            List<CompletableFuture<Task>> polls = new ArrayList<>();
            for (int id = 0; id < clients; id++) {
                CompletableFuture<Task> answer = new CompletableFuture<>();
                polls.add(answer);
                CoordinatorServiceGrpc.newStub(d.channel(id)).withDeadlineAfter(60, TimeUnit.SECONDS)
                        .awaitTask(TaskRequest.newBuilder().setClientId(id).build(), CoordinatorTest.observer(answer));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (d.coordinator.waitingPolls() < clients && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(d.coordinator.waitingPolls()).isEqualTo(clients);
            assertThat(polls).noneMatch(CompletableFuture::isDone);
            assertThat(callThreads()).isLessThanOrEqualTo(RoleServer.CALL_THREADS);
            // The clients' own channels add threads in this JVM; the server adds none per poll.
            assertThat(Thread.activeCount() - threadsBefore).isLessThan(clients / 2);
            d.coordinator.close();
            for (CompletableFuture<Task> poll : polls) {
                assertThat(poll.get(30, TimeUnit.SECONDS).getKind()).isEqualTo(Task.Kind.DONE);
            }
        }
    }

    @Test
    void oneCertificateHoldsAtMostItsCapOfOpenCalls() throws Exception {
        try (Deployment d = new Deployment(2)) {
            d.join(0);
            List<StreamObserver<WeightsChunk>> open = new ArrayList<>();
            List<CompletableFuture<Status>> outcomes = new ArrayList<>();
            for (int i = 0; i < Gatekeeper.DEFAULT_CALLS_PER_PEER + 4; i++) {
                CompletableFuture<Status> outcome = new CompletableFuture<>();
                outcomes.add(outcome);
                StreamObserver<WeightsChunk> up = Deployment.openSubmit(d.newChannel(0), outcome);
                // A valid header and no payload yet: the call stays open.
                up.onNext(Deployment.header(0, 1, VALUES, 100, 0));
                open.add(up);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (outcomes.stream().filter(CompletableFuture::isDone).count() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            // The calls within the cap stay open: give a wrong refusal time to arrive.
            Thread.sleep(500);
            List<Status> ended = outcomes.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join).toList();
            assertThat(ended).hasSize(4);
            for (Status s : ended) {
                assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(s.getDescription()).isEqualTo("client-0 has " + Gatekeeper.DEFAULT_CALLS_PER_PEER
                        + " calls open, the most one peer may have");
            }
            open.forEach(o -> o.onError(Status.CANCELLED.asRuntimeException()));
            // Another client is not affected by client 0's calls.
            d.join(1);
        }
    }
}
