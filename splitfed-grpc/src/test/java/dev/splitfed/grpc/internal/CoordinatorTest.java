package dev.splitfed.grpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.grpc.proto.DoneReply;
import dev.splitfed.grpc.proto.JoinReply;
import dev.splitfed.grpc.proto.JoinRequest;
import dev.splitfed.grpc.proto.RoundReport;
import dev.splitfed.grpc.proto.Task;
import dev.splitfed.grpc.proto.TaskRequest;
import dev.splitfed.internal.role.ClientReport;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The round driver without a network: who gets a task, when, how often, and who is dropped. */
class CoordinatorTest {

    private static <T> T call(Consumer<StreamObserver<T>> rpc) throws Exception {
        CompletableFuture<T> answer = new CompletableFuture<>();
        rpc.accept(observer(answer));
        return answer.get(30, TimeUnit.SECONDS);
    }

    /** Returns an observer that completes {@code answer} with a unary call's value or failure. */
    static <T> StreamObserver<T> observer(CompletableFuture<T> answer) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                answer.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {}
        };
    }

    private static Task poll(Coordinator c, int id, int after, long epoch) throws Exception {
        return call(o -> c.awaitTask(
                TaskRequest.newBuilder().setClientId(id).setAfterRound(after).setEpoch(epoch).build(), o));
    }

    private static void join(Coordinator c, int id) throws Exception {
        JoinReply reply = call(o -> c.join(JoinRequest.newBuilder().setClientId(id).build(), o));
        assertThat(reply.getConfigMap()).containsEntry("scheme", "sflv1");
    }

    private static void done(Coordinator c, int id, int round) throws Exception {
        call((StreamObserver<DoneReply> o) -> c.done(
                RoundReport.newBuilder().setClientId(id).setRound(round).setSamplesSeen(10).setLossSum(5).build(), o));
    }

    @Test
    void aStragglersBatchBudgetTravelsInItsTask() throws Exception {
        Coordinator c = new Coordinator(2, 2, Duration.ofSeconds(20), false, Map.of("scheme", "sflv1"), Duration.ofMillis(200), null);
        join(c, 0);
        join(c, 1);
        CompletableFuture<List<ClientReport>> round =
                CompletableFuture.supplyAsync(() -> c.train(1, List.of(0, 1), Map.of(1, 3L)));
        Task whole = poll(c, 0, 0, 0);
        Task partial = poll(c, 1, 0, 0);
        assertThat(whole.getBatches()).isZero();
        assertThat(partial.getBatches()).isEqualTo(3);
        done(c, 0, 1);
        done(c, 1, 1);
        assertThat(round.get(10, TimeUnit.SECONDS)).extracting(ClientReport::clientId).containsExactly(0, 1);
        c.close();
    }

    @Test
    void aClientsOlderPollIsToldToWaitAndItsNewerOneGetsTheTask() throws Exception {
        Coordinator c = new Coordinator(1, 1, Duration.ofSeconds(20), false, Map.of("scheme", "sflv1"),
                Duration.ofSeconds(20), null);
        join(c, 0);
        CompletableFuture<Task> older = new CompletableFuture<>();
        CompletableFuture<Task> newer = new CompletableFuture<>();
        c.awaitTask(TaskRequest.newBuilder().setClientId(0).build(), observer(older));
        assertThat(older).isNotDone();
        c.awaitTask(TaskRequest.newBuilder().setClientId(0).build(), observer(newer));
        assertThat(older.get(5, TimeUnit.SECONDS).getKind()).isEqualTo(Task.Kind.WAIT);
        assertThat(newer).isNotDone();
        assertThat(c.waitingPolls()).isEqualTo(1);
        CompletableFuture<List<ClientReport>> round = CompletableFuture.supplyAsync(() -> c.train(1, List.of(0)));
        Task task = newer.get(5, TimeUnit.SECONDS);
        assertThat(task.getKind()).isEqualTo(Task.Kind.TRAIN);
        done(c, 0, 1);
        assertThat(round.get(10, TimeUnit.SECONDS)).extracting(ClientReport::clientId).containsExactly(0);
        c.close();
        c.shutdown();
    }

    @Test
    void aTaskIsHandedOutOnceAndSilentOrMissingClientsAreDroppedAtTheDeadline() throws Exception {
        Coordinator c = new Coordinator(3, 2, Duration.ofSeconds(2), false, Map.of("scheme", "sflv1"), Duration.ofMillis(200), null);
        join(c, 0);
        join(c, 1);
        CompletableFuture<List<ClientReport>> round = CompletableFuture.supplyAsync(() -> c.train(1, List.of(0, 1, 2)));
        Task first = poll(c, 0, 0, 0);
        assertThat(first.getKind()).isEqualTo(Task.Kind.TRAIN);
        assertThat(first.getRound()).isEqualTo(1);
        // The same client asking again for round 1 (it failed and retries) is not handed it twice.
        assertThat(poll(c, 0, 0, first.getEpoch()).getKind()).isEqualTo(Task.Kind.WAIT);
        done(c, 0, 1);
        long start = System.nanoTime();
        List<ClientReport> reports = round.get(10, TimeUnit.SECONDS);
        // Client 1 joined but never trained (deadline), client 2 never connected (not released).
        assertThat(reports).extracting(ClientReport::clientId).containsExactly(0);
        assertThat(reports.get(0).samplesSeen()).isEqualTo(10);
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(3.0);
        c.close();
        assertThat(poll(c, 1, 0, first.getEpoch()).getKind()).isEqualTo(Task.Kind.DONE);
    }

    @Test
    void aRestartedServerHandsOutTheRoundItRedoesAgain() throws Exception {
        Coordinator before = new Coordinator(1, 1, Duration.ofSeconds(5), false, Map.of("scheme", "sflv1"), Duration.ofMillis(200), null);
        join(before, 0);
        CompletableFuture<List<ClientReport>> interrupted = CompletableFuture.supplyAsync(() -> before.train(3, List.of(0)));
        Task task = poll(before, 0, 2, 0);
        assertThat(task.getRound()).isEqualTo(3);
        before.close();
        interrupted.get(10, TimeUnit.SECONDS);
        // The client trained round 3 (after = 3) but the server died before checkpointing it.
        Coordinator after = new Coordinator(1, 1, Duration.ofSeconds(5), false, Map.of("scheme", "sflv1"), Duration.ofMillis(200), null);
        join(after, 0);
        CompletableFuture<List<ClientReport>> redo = CompletableFuture.supplyAsync(() -> after.train(3, List.of(0)));
        Task again = poll(after, 0, 3, task.getEpoch());
        assertThat(again.getKind()).isEqualTo(Task.Kind.TRAIN);
        assertThat(again.getRound()).isEqualTo(3);
        assertThat(again.getEpoch()).isNotEqualTo(task.getEpoch());
        done(after, 0, 3);
        assertThat(redo.get(10, TimeUnit.SECONDS)).hasSize(1);
    }

    @Test
    void clientsInTurnAreReleasedOneAfterAnother() throws Exception {
        Coordinator c = new Coordinator(2, 2, Duration.ofSeconds(10), true, Map.of("scheme", "sflv1"), Duration.ofMillis(200), null);
        join(c, 0);
        join(c, 1);
        CompletableFuture<List<ClientReport>> round = CompletableFuture.supplyAsync(() -> c.train(1, List.of(1, 0)));
        assertThat(poll(c, 0, 0, 0).getKind()).as("client 0 waits for client 1").isEqualTo(Task.Kind.WAIT);
        Task one = poll(c, 1, 0, 0);
        assertThat(one.getKind()).isEqualTo(Task.Kind.TRAIN);
        done(c, 1, 1);
        assertThat(poll(c, 0, 0, 0).getKind()).isEqualTo(Task.Kind.TRAIN);
        done(c, 0, 1);
        assertThat(round.get(10, TimeUnit.SECONDS)).extracting(ClientReport::clientId).containsExactly(1, 0);
    }

    @Test
    void impossibleReportsAndUnknownIdsAreRefused() {
        Coordinator c = new Coordinator(2, 1, Duration.ofSeconds(1), false, Map.of("scheme", "sflv1"), Duration.ofMillis(100), null);
        assertThatThrownBy(() -> join(c, 7))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("unknown client id 7");
        assertThatThrownBy(() -> call((StreamObserver<DoneReply> o) -> c.done(
                RoundReport.newBuilder().setClientId(0).setRound(1).setSamplesSeen(-1).build(), o)))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("impossible");
    }

    private static Task poll(Coordinator c, int id, int after, Task.Kind afterKind, long epoch) throws Exception {
        return call(o -> c.awaitTask(TaskRequest.newBuilder().setClientId(id).setAfterRound(after).setAfterKind(afterKind)
                .setEpoch(epoch).build(), o));
    }

    private static void done(Coordinator c, int id, int round, Task.Kind kind) throws Exception {
        call((StreamObserver<DoneReply> o) -> c.done(
                RoundReport.newBuilder().setClientId(id).setRound(round).setKind(kind).build(), o));
    }

    @Test
    void secureAggregationHandsOutItsPhasesAroundTrainingAndLeavesOutWhoMissesOne() throws Exception {
        Coordinator c = new Coordinator(3, 3, Duration.ofSeconds(1), false,
                Map.of("scheme", "sflv1", "secure-agg", "true"), Duration.ofMillis(200), null);
        for (int id = 0; id < 3; id++) {
            join(c, id);
        }
        CompletableFuture<List<Integer>> setup = CompletableFuture.supplyAsync(() -> c.beforeTraining(1, List.of(0, 1, 2)));
        long epoch = 0;
        for (int id = 0; id < 3; id++) {
            Task advertise = poll(c, id, 0, Task.Kind.KIND_UNSPECIFIED, 0);
            assertThat(advertise.getKind()).isEqualTo(Task.Kind.ADVERTISE_KEYS);
            assertThat(advertise.getRound()).isEqualTo(1);
            epoch = advertise.getEpoch();
            done(c, id, 1, Task.Kind.ADVERTISE_KEYS);
        }
        // A report of the wrong kind is refused.
        long e = epoch;
        assertThatThrownBy(() -> done(c, 0, 1, Task.Kind.UNMASK))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("not open for it");
        for (int id = 0; id < 2; id++) {
            assertThat(poll(c, id, 1, Task.Kind.ADVERTISE_KEYS, e).getKind()).isEqualTo(Task.Kind.SHARE_KEYS);
            assertThat(poll(c, id, 1, Task.Kind.SHARE_KEYS, e).getKind()).as("handed out once").isEqualTo(Task.Kind.WAIT);
            done(c, id, 1, Task.Kind.SHARE_KEYS);
        }
        // Client 2 took its share-keys task but never reports it: it is left out at the deadline.
        assertThat(poll(c, 2, 1, Task.Kind.ADVERTISE_KEYS, e).getKind()).isEqualTo(Task.Kind.SHARE_KEYS);
        assertThat(setup.get(10, TimeUnit.SECONDS)).containsExactly(0, 1);
        CompletableFuture<List<ClientReport>> round = CompletableFuture.supplyAsync(() -> c.train(1, List.of(0, 1)));
        for (int id = 0; id < 2; id++) {
            assertThat(poll(c, id, 1, Task.Kind.SHARE_KEYS, e).getKind()).isEqualTo(Task.Kind.TRAIN);
            done(c, id, 1);
        }
        assertThat(round.get(10, TimeUnit.SECONDS)).extracting(ClientReport::clientId).containsExactly(0, 1);
        CompletableFuture<Void> unmask = CompletableFuture.runAsync(() -> c.afterTraining(1, List.of(0, 1)));
        for (int id = 0; id < 2; id++) {
            assertThat(poll(c, id, 1, Task.Kind.TRAIN, e).getKind()).isEqualTo(Task.Kind.UNMASK);
            done(c, id, 1, Task.Kind.UNMASK);
        }
        unmask.get(10, TimeUnit.SECONDS);
        assertThat(poll(c, 0, 1, Task.Kind.UNMASK, e).getKind()).isEqualTo(Task.Kind.WAIT);
    }
}
