package dev.splitfed.grpc.internal;

import dev.splitfed.grpc.TransportException;
import dev.splitfed.grpc.internal.RoundStateMachine.Assignment;
import dev.splitfed.grpc.internal.RoundStateMachine.Phase;
import dev.splitfed.grpc.proto.CoordinatorServiceGrpc;
import dev.splitfed.grpc.proto.DoneReply;
import dev.splitfed.grpc.proto.HeartbeatReply;
import dev.splitfed.grpc.proto.HeartbeatRequest;
import dev.splitfed.grpc.proto.JoinReply;
import dev.splitfed.grpc.proto.JoinRequest;
import dev.splitfed.grpc.proto.ModelStageChunk;
import dev.splitfed.grpc.proto.ModelStagesRequest;
import dev.splitfed.grpc.proto.RoundReport;
import dev.splitfed.grpc.proto.Task;
import dev.splitfed.grpc.proto.TaskRequest;
import dev.splitfed.internal.role.ClientReport;
import dev.splitfed.internal.scheme.ClientPool;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives remote clients through rounds. Clients join, then long-poll for their next task; a round
 * hands a task to each participant (all at once, or one after another where the scheme serves
 * clients in turn) and waits for their reports until the round's deadline. A client that is not
 * connected, or does not finish in time, is dropped from that round and may take part in the next.
 *
 * <p>With secure aggregation a round has three more tasks, each handed to all its clients at once
 * and awaited (at most {@code roundTimeout} each) before the next: AdvertiseKeys and ShareKeys
 * before training, Unmasking after it (Bonawitz et al. 2017). A client that misses one is out of
 * the round's later steps.
 *
 * <p>Who is connected and where each client stands in the round live in a {@link RoundStateMachine};
 * this class turns calls into its transitions under one lock, waits for its conditions, and
 * translates its assignments into tasks.
 */
public final class Coordinator extends CoordinatorServiceGrpc.CoordinatorServiceImplBase implements ClientPool {

    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

    /** How long a poll waits before answering WAIT. */
    static final Duration POLL = Duration.ofSeconds(20);

    /** How often a client says it is alive. */
    static final Duration HEARTBEAT = Duration.ofSeconds(3);

    /** A client not heard from for this long is taken to be gone (and dropped from its round). */
    static final Duration ALIVE = Duration.ofSeconds(10);

    private final Duration poll;
    private final int clients;
    private final boolean inTurn;
    private final Map<String, String> config;
    private final boolean secureAgg;
    private volatile ClientFiles files = ClientFiles.NONE;
    /** Guarded by this. */
    private final RoundStateMachine state;
    // Null where the coordinator is tested alone: then any client may call anything.
    private final Admission admission;
    private final Map<Integer, Poll> polls = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "splitfed-poll-timer");
        thread.setDaemon(true);
        return thread;
    });
    // Tells a restarted server's tasks from its predecessor's (see TaskRequest.epoch).
    private final long epoch = new SecureRandom().nextLong() | 1;

    /**
     * Creates the coordinator.
     *
     * @param clients the number of client ids, 0 to clients - 1
     * @param minClients how many must be connected before a round starts
     * @param roundTimeout how long a round waits for its participants
     * @param inTurn whether participants train one after another (sl, sflv2)
     * @param config the run's settings, sent to every client that joins
     */
    Coordinator(int clients, int minClients, Duration roundTimeout, boolean inTurn, Map<String, String> config) {
        this(clients, minClients, roundTimeout, inTurn, config, POLL, null);
    }

    /**
     * As above, for a deployment: only joined clients are served, and a round's report counts only
     * for a client whose update the server accepted in that round.
     *
     * @param admission the deployment's book of its clients
     */
    Coordinator(int clients, int minClients, Duration roundTimeout, boolean inTurn, Map<String, String> config,
            Admission admission) {
        this(clients, minClients, roundTimeout, inTurn, config, POLL, admission);
    }

    /** As above, with the long-poll time given (tests keep it short) and the admission null where tests use none. */
    Coordinator(int clients, int minClients, Duration roundTimeout, boolean inTurn, Map<String, String> config,
            Duration poll, Admission admission) {
        this.admission = admission;
        this.poll = poll;
        this.clients = clients;
        this.inTurn = inTurn;
        this.config = Map.copyOf(config);
        this.secureAgg = Boolean.parseBoolean(config.getOrDefault("secure-agg", "false"));
        this.state = new RoundStateMachine(clients, minClients, roundTimeout, System::nanoTime, ALIVE);
    }

    private void checkId(int clientId) {
        if (clientId < 0 || clientId >= clients) {
            throw TensorChunks.invalid("unknown client id " + clientId + "; this run has clients 0 to " + (clients - 1));
        }
        PeerIdentity.authorize(clientId);
    }

    /** Checks the id and that the client has joined. */
    private void checkJoined(int clientId) {
        checkId(clientId);
        if (admission != null) {
            admission.requireJoined(clientId);
        }
    }

    @Override
    public void join(JoinRequest request, StreamObserver<JoinReply> reply) {
        try {
            checkId(request.getClientId());
            if (admission != null) {
                admission.join(request.getClientId(), request.getSamples(), request.getOwnData());
            }
            synchronized (this) {
                state.heard(request.getClientId());
                notifyAll();
            }
            LOG.info("client {} joined", request.getClientId());
            JoinReply.Builder answer = JoinReply.newBuilder().putAllConfig(config);
            ClientFiles extra = files;
            if (extra.schema() != null) {
                answer.setDataSchemaDataset(extra.schema().dataset()).setDataSchema(extra.schema().text());
            }
            reply.onNext(answer.build());
            reply.onCompleted();
        } catch (RuntimeException e) {
            reply.onError(Statuses.toStatus(e));
        }
    }

    /**
     * A poll waiting for its client's next task. It holds no thread: the state change that makes a
     * task due answers it ({@link #wake}), or its timer answers WAIT when the long poll is over.
     * Guarded by the coordinator's monitor.
     */
    private static final class Poll {
        final StreamObserver<Task> reply;
        final long after;
        ScheduledFuture<?> timeout;

        Poll(StreamObserver<Task> reply, long after) {
            this.reply = reply;
            this.after = after;
        }
    }

    @Override
    public void awaitTask(TaskRequest request, StreamObserver<Task> reply) {
        try {
            int id = request.getClientId();
            checkJoined(id);
            long after = request.getEpoch() == epoch
                    ? RoundStateMachine.order(request.getAfterRound(), after(request.getAfterKind()))
                    : RoundStateMachine.NOTHING_DONE;
            Poll poll = new Poll(reply, after);
            if (reply instanceof ServerCallStreamObserver<Task> call) {
                // A client that hangs up stops counting as polling at once.
                call.setOnCancelHandler(() -> cancelled(id, poll));
            }
            synchronized (this) {
                state.pollStarted(id);
                notifyAll();
                if (state.finished() || state.due(id, after)) {
                    answer(id, poll);
                    return;
                }
                // One poll per client waits. An older one is a call the client gave up on (it retried):
                // it is told WAIT, never handed a task the client might not receive.
                Poll older = polls.put(id, poll);
                if (older != null) {
                    cancelTimer(older);
                    state.pollEnded(id);
                    send(id, older, Task.newBuilder().setKind(Task.Kind.WAIT).setEpoch(epoch).build());
                }
                poll.timeout = timer.schedule(() -> expire(id, poll), this.poll.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            reply.onError(Statuses.toStatus(e));
        }
    }

    /** Answers a poll with the client's due task, DONE once the run is over, or WAIT. Holds the monitor. */
    private void answer(int id, Poll poll) {
        Task task;
        Assignment assignment = state.handOut(id, poll.after);
        if (assignment != null) {
            task = Task.newBuilder().setKind(kind(assignment.phase())).setRound(assignment.round())
                    .setEpoch(epoch).setBatches(assignment.batches()).build();
        } else {
            task = Task.newBuilder().setKind(state.finished() ? Task.Kind.DONE : Task.Kind.WAIT).setEpoch(epoch).build();
            if (state.finished()) {
                state.toldDone(id);
                notifyAll();
            }
        }
        state.pollEnded(id);
        send(id, poll, task);
    }

    private static void send(int id, Poll poll, Task task) {
        try {
            poll.reply.onNext(task);
            poll.reply.onCompleted();
        } catch (RuntimeException e) {
            // The call was cancelled meanwhile: the client asks again.
            LOG.debug("client {}'s poll could not be answered: {}", id, e.toString());
        }
    }

    private static void cancelTimer(Poll poll) {
        if (poll.timeout != null) {
            poll.timeout.cancel(false);
        }
    }

    /** Answers the client's waiting poll if a task is now due for it or the run is over. Holds the monitor. */
    private void wake(int id) {
        Poll poll = polls.get(id);
        if (poll != null && (state.finished() || state.due(id, poll.after))) {
            polls.remove(id);
            cancelTimer(poll);
            answer(id, poll);
        }
    }

    /** Ends a poll whose long-poll time is over. */
    private synchronized void expire(int id, Poll poll) {
        if (polls.remove(id, poll)) {
            answer(id, poll);
        }
    }

    /** Forgets a poll whose client hung up. */
    private synchronized void cancelled(int id, Poll poll) {
        if (polls.remove(id, poll)) {
            cancelTimer(poll);
            state.pollEnded(id);
        }
    }

    /** Returns the task kind of an assignment's phase. */
    private static Task.Kind kind(Phase phase) {
        return switch (phase) {
            case ADVERTISE_KEYS -> Task.Kind.ADVERTISE_KEYS;
            case SHARE_KEYS -> Task.Kind.SHARE_KEYS;
            case TRAIN -> Task.Kind.TRAIN;
            case UNMASK -> Task.Kind.UNMASK;
        };
    }

    /** Returns the phase a client last did from the kind it names: a secure-aggregation phase, or training. */
    private static Phase after(Task.Kind kind) {
        return switch (kind) {
            case ADVERTISE_KEYS -> Phase.ADVERTISE_KEYS;
            case SHARE_KEYS -> Phase.SHARE_KEYS;
            case UNMASK -> Phase.UNMASK;
            default -> Phase.TRAIN;
        };
    }

    /** Returns the phase a report is of (unspecified means training), or null for a kind that is no work. */
    private static Phase reported(Task.Kind kind) {
        return switch (kind) {
            case KIND_UNSPECIFIED, TRAIN -> Phase.TRAIN;
            case ADVERTISE_KEYS -> Phase.ADVERTISE_KEYS;
            case SHARE_KEYS -> Phase.SHARE_KEYS;
            case UNMASK -> Phase.UNMASK;
            default -> null;
        };
    }

    /**
     * Sets what clients receive besides the settings; the settings themselves must already announce
     * it ({@link ClientFiles#announcements()}).
     *
     * @param files the data schema and the client-side stages
     */
    void setFiles(ClientFiles files) {
        this.files = files;
    }

    @Override
    public void modelStages(ModelStagesRequest request, StreamObserver<ModelStageChunk> reply) {
        try {
            checkJoined(request.getClientId());
            ClientFiles extra = files;
            if (extra.stages().isEmpty()) {
                throw TensorChunks.invalid("this run's model is not a TorchScript model; there are no stages to send");
            }
            for (Map.Entry<Integer, byte[]> stage : extra.stages().entrySet()) {
                byte[] bytes = stage.getValue();
                for (int from = 0; from < bytes.length || from == 0; from += TensorChunks.BYTES_PER_CHUNK) {
                    int n = Math.min(TensorChunks.BYTES_PER_CHUNK, bytes.length - from);
                    ModelStageChunk.Builder chunk = ModelStageChunk.newBuilder()
                            .setContent(com.google.protobuf.ByteString.copyFrom(bytes, from, n));
                    if (from == 0) {
                        chunk.setStage(stage.getKey()).setSize(bytes.length);
                    }
                    reply.onNext(chunk.build());
                    if (bytes.length == 0) {
                        break;
                    }
                }
            }
            LOG.info("client {} received the model's stages {}", request.getClientId(), extra.stages().keySet());
            reply.onCompleted();
        } catch (RuntimeException e) {
            reply.onError(Statuses.toStatus(e));
        }
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatReply> reply) {
        try {
            checkJoined(request.getClientId());
            synchronized (this) {
                state.heard(request.getClientId());
            }
            reply.onNext(HeartbeatReply.getDefaultInstance());
            reply.onCompleted();
        } catch (RuntimeException e) {
            reply.onError(Statuses.toStatus(e));
        }
    }

    @Override
    public void done(RoundReport report, StreamObserver<DoneReply> reply) {
        try {
            checkJoined(report.getClientId());
            synchronized (this) {
                if (report.getSamplesSeen() < 0 || !Double.isFinite(report.getLossSum())) {
                    throw TensorChunks.invalid("client " + report.getClientId() + " reported impossible figures");
                }
                Phase phase = reported(report.getKind());
                if (phase == Phase.TRAIN && admission != null
                        && !admission.hasHandedIn(report.getClientId(), report.getRound())) {
                    throw Status.FAILED_PRECONDITION.withDescription("client " + report.getClientId()
                            + " reported round " + report.getRound() + " done without a valid update; only a client "
                            + "whose update the server accepted takes part in a round").asRuntimeException();
                }
                if (phase == null || !state.report(report.getRound(), phase,
                        new ClientReport(report.getClientId(), report.getSamplesSeen(), report.getLossSum()))) {
                    throw TensorChunks.invalid("client " + report.getClientId() + " reported round " + report.getRound()
                            + ", which is not open for it");
                }
                notifyAll();
            }
            reply.onNext(DoneReply.getDefaultInstance());
            reply.onCompleted();
        } catch (RuntimeException e) {
            reply.onError(Statuses.toStatus(e));
        }
    }

    /** Opens a round once enough clients are connected; nothing if it is open already. */
    private void open(int round) throws InterruptedException {
        // Every join wakes this wait: the line is written every ten seconds, not every tenth wake.
        long nextLine = System.nanoTime();
        while (!state.open(round)) {
            if (System.nanoTime() - nextLine >= 0) {
                LOG.warn("round {} waits for clients: {} of at least {} connected", round, state.connected().size(),
                        state.minClients());
                nextLine = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            }
            wait(1000);
        }
    }

    @Override
    public synchronized List<Integer> beforeTraining(int round, List<Integer> participants) {
        if (!secureAgg) {
            return participants;
        }
        try {
            open(round);
            return phase(round, Phase.SHARE_KEYS, phase(round, Phase.ADVERTISE_KEYS, participants));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while round " + round + " set up secure aggregation", e);
        }
    }

    @Override
    public synchronized void afterTraining(int round, List<Integer> completed) {
        if (!secureAgg) {
            return;
        }
        try {
            phase(round, Phase.UNMASK, completed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while round " + round + " unmasked its aggregate", e);
        } finally {
            state.withdraw();
        }
    }

    /**
     * Hands a phase of secure aggregation to the listed clients that are connected and waits for
     * their reports, at most {@code roundTimeout}.
     *
     * @return the listed clients that reported, in their order
     */
    private List<Integer> phase(int round, Phase phase, List<Integer> ids) throws InterruptedException {
        List<Integer> present = state.beginPhase(phase, ids);
        present.forEach(this::wake);
        notifyAll();
        awaitReports(present, phase);
        List<Integer> out = state.endPhase(ids);
        logDropped(ids, new HashSet<>(out), round, " at " + phase.name().toLowerCase(Locale.ROOT));
        return out;
    }

    @Override
    public synchronized List<ClientReport> train(int round, List<Integer> order, Map<Integer, Long> batches) {
        try {
            open(round);
            if (admission != null) {
                admission.roundStarted(round);
            }
            state.beginTraining();
            if (inTurn) {
                for (int id : order) {
                    if (state.beforeDeadline() && state.assignTraining(id, batches.getOrDefault(id, 0L))) {
                        wake(id);
                        notifyAll();
                        awaitReports(List.of(id), Phase.TRAIN);
                    }
                }
            } else {
                List<Integer> present = new ArrayList<>();
                for (int id : order) {
                    if (state.assignTraining(id, batches.getOrDefault(id, 0L))) {
                        present.add(id);
                        wake(id);
                    }
                }
                notifyAll();
                awaitReports(present, Phase.TRAIN);
            }
            List<ClientReport> out = state.endTraining(order);
            Set<Integer> reported = new HashSet<>();
            out.forEach(r -> reported.add(r.clientId()));
            logDropped(order, reported, round, "");
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while round " + round + " waited for its clients", e);
        }
    }

    /** Waits until every listed client has reported, has gone silent (died), or the deadline passes. */
    /** The most client ids a dropped-out line names. */
    static final int DROPPED_NAMED = 10;

    /**
     * Logs who of {@code expected} is missing from {@code present} in one line: "3 clients dropped
     * out of round 7: 1, 4, 9", naming at most {@value #DROPPED_NAMED}.
     */
    private static void logDropped(List<Integer> expected, Set<Integer> present, int round, String where) {
        List<Integer> dropped = new ArrayList<>();
        for (int id : expected) {
            if (!present.contains(id)) {
                dropped.add(id);
            }
        }
        if (dropped.isEmpty()) {
            return;
        }
        String named = dropped.stream().limit(DROPPED_NAMED).map(String::valueOf).collect(Collectors.joining(", "));
        LOG.warn("{} dropped out of round {}{}: {}{}", dropped.size() == 1 ? "1 client" : dropped.size() + " clients",
                round, where, named, dropped.size() > DROPPED_NAMED ? ", ..." : "");
    }

    private void awaitReports(List<Integer> ids, Phase phase) throws InterruptedException {
        while (state.awaiting(ids, phase)) {
            wait(Math.max(1, Math.min(1000, state.millisToDeadline())));
        }
    }

    @Override
    public synchronized void close() {
        state.finish();
        for (Integer id : List.copyOf(polls.keySet())) {
            wake(id);
        }
        notifyAll();
    }

    /** Returns how many polls are waiting for a task. */
    synchronized int waitingPolls() {
        return polls.size();
    }

    /** Stops the poll timer; answers no poll any more. */
    void shutdown() {
        timer.shutdownNow();
    }

    /**
     * Waits until every connected client has heard that the run is over, or {@code timeout}.
     *
     * @param timeout the longest wait
     */
    synchronized void awaitGoodbyes(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (state.allToldDone()) {
                return;
            }
            wait(Math.max(1, Math.min(200, (end - System.nanoTime()) / 1_000_000)));
        }
    }
}
