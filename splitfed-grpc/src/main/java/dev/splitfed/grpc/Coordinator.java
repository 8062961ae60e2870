package dev.splitfed.grpc;

import dev.splitfed.grpc.proto.CoordinatorServiceGrpc;
import dev.splitfed.grpc.proto.DoneReply;
import dev.splitfed.grpc.proto.HeartbeatReply;
import dev.splitfed.grpc.proto.HeartbeatRequest;
import dev.splitfed.grpc.proto.JoinReply;
import dev.splitfed.grpc.proto.JoinRequest;
import dev.splitfed.grpc.proto.RoundReport;
import dev.splitfed.grpc.proto.Task;
import dev.splitfed.grpc.proto.TaskRequest;
import dev.splitfed.role.ClientReport;
import dev.splitfed.scheme.ClientPool;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
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
 */
final class Coordinator extends CoordinatorServiceGrpc.CoordinatorServiceImplBase implements ClientPool {

    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

    /** How long a poll waits before answering WAIT. */
    static final Duration POLL = Duration.ofSeconds(20);

    /** How often a client says it is alive. */
    static final Duration HEARTBEAT = Duration.ofSeconds(3);

    /** A client not heard from for this long is taken to be gone (and dropped from its round). */
    static final Duration ALIVE = Duration.ofSeconds(10);

    private final Duration poll;
    private final int clients;
    private final int minClients;
    private final Duration roundTimeout;
    private final boolean inTurn;
    private final Map<String, String> config;
    private final boolean secureAgg;
    private final Map<Integer, Long> lastSeen = new HashMap<>();
    private final Map<Integer, Integer> polling = new HashMap<>();
    private final Map<Integer, Step> released = new HashMap<>();
    private final Map<Integer, ClientReport> reports = new HashMap<>();
    private final Set<Integer> phaseDone = new HashSet<>();
    private final Set<Integer> handedOut = new HashSet<>();
    private final Set<Integer> toldDone = new HashSet<>();
    // Tells a restarted server's tasks from its predecessor's (see TaskRequest.epoch).
    private final long epoch = new SecureRandom().nextLong() | 1;
    private int round;
    private boolean finished;

    /** A task handed to a client: a kind of work in a round, and for TRAIN the most batches (0 for all). */
    private record Step(int round, Task.Kind kind, long batches) {

        Step(int round, Task.Kind kind) {
            this(round, kind, 0);
        }

        /** Returns where the step comes in the run: by round, and within a round in the order the kinds run. */
        long order() {
            int phase = switch (kind) {
                case ADVERTISE_KEYS -> 1;
                case SHARE_KEYS -> 2;
                case UNMASK -> 4;
                default -> 3;
            };
            return round * 8L + phase;
        }
    }

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
        this(clients, minClients, roundTimeout, inTurn, config, POLL);
    }

    /** As above, with the long-poll time given (tests keep it short). */
    Coordinator(int clients, int minClients, Duration roundTimeout, boolean inTurn, Map<String, String> config,
            Duration poll) {
        this.poll = poll;
        this.clients = clients;
        this.minClients = minClients;
        this.roundTimeout = roundTimeout;
        this.inTurn = inTurn;
        this.config = Map.copyOf(config);
        this.secureAgg = Boolean.parseBoolean(config.getOrDefault("secure-agg", "false"));
    }

    private void checkId(int clientId) {
        if (clientId < 0 || clientId >= clients) {
            throw TensorChunks.invalid("unknown client id " + clientId + "; this run has clients 0 to " + (clients - 1));
        }
        PeerIdentity.authorize(clientId);
    }

    @Override
    public void join(JoinRequest request, StreamObserver<JoinReply> reply) {
        try {
            checkId(request.getClientId());
            synchronized (this) {
                lastSeen.put(request.getClientId(), System.nanoTime());
                notifyAll();
            }
            LOG.info("client {} joined", request.getClientId());
            reply.onNext(JoinReply.newBuilder().putAllConfig(config).build());
            reply.onCompleted();
        } catch (RuntimeException e) {
            reply.onError(Statuses.toStatus(e));
        }
    }

    @Override
    public void awaitTask(TaskRequest request, StreamObserver<Task> reply) {
        try {
            int id = request.getClientId();
            checkId(id);
            Task task;
            synchronized (this) {
                long end = System.nanoTime() + poll.toNanos();
                polling.merge(id, 1, Integer::sum);
                lastSeen.put(id, System.nanoTime());
                notifyAll();
                try {
                    long after = request.getEpoch() == epoch
                            ? new Step(request.getAfterRound(), request.getAfterKind()).order() : 0;
                    while (!finished && !due(id, after) && System.nanoTime() < end) {
                        wait(Math.max(1, (end - System.nanoTime()) / 1_000_000));
                    }
                    if (due(id, after)) {
                        handedOut.add(id);
                        Step step = released.get(id);
                        task = Task.newBuilder().setKind(step.kind()).setRound(step.round()).setEpoch(epoch)
                                .setBatches(step.batches()).build();
                    } else {
                        task = Task.newBuilder().setKind(finished ? Task.Kind.DONE : Task.Kind.WAIT).setEpoch(epoch).build();
                        if (finished) {
                            toldDone.add(id);
                            notifyAll();
                        }
                    }
                } finally {
                    polling.merge(id, -1, Integer::sum);
                    lastSeen.put(id, System.nanoTime());
                }
            }
            reply.onNext(task);
            reply.onCompleted();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply.onError(Statuses.toStatus(e));
        } catch (RuntimeException e) {
            reply.onError(Statuses.toStatus(e));
        }
    }

    /** A task is handed out once per client, round and kind, whatever the client asks. */
    private boolean due(int id, long after) {
        Step step = released.get(id);
        return step != null && step.order() > after && !handedOut.contains(id);
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatReply> reply) {
        try {
            checkId(request.getClientId());
            synchronized (this) {
                lastSeen.put(request.getClientId(), System.nanoTime());
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
            checkId(report.getClientId());
            synchronized (this) {
                if (report.getSamplesSeen() < 0 || !Double.isFinite(report.getLossSum())) {
                    throw TensorChunks.invalid("client " + report.getClientId() + " reported impossible figures");
                }
                Task.Kind kind = report.getKind() == Task.Kind.KIND_UNSPECIFIED ? Task.Kind.TRAIN : report.getKind();
                Step step = released.get(report.getClientId());
                if (report.getRound() != round || step == null || step.kind() != kind) {
                    throw TensorChunks.invalid("client " + report.getClientId() + " reported round " + report.getRound()
                            + ", which is not open for it");
                }
                if (kind == Task.Kind.TRAIN) {
                    reports.put(report.getClientId(),
                            new ClientReport(report.getClientId(), report.getSamplesSeen(), report.getLossSum()));
                } else {
                    phaseDone.add(report.getClientId());
                }
                notifyAll();
            }
            reply.onNext(DoneReply.getDefaultInstance());
            reply.onCompleted();
        } catch (RuntimeException e) {
            reply.onError(Statuses.toStatus(e));
        }
    }

    private boolean alive(int id) {
        Long seen = lastSeen.get(id);
        return polling.getOrDefault(id, 0) > 0 || (seen != null && System.nanoTime() - seen < ALIVE.toNanos());
    }

    private long alive() {
        long n = 0;
        for (int id = 0; id < clients; id++) {
            n += alive(id) ? 1 : 0;
        }
        return n;
    }

    /** Starts a round once enough clients are connected; nothing if it has started already. */
    private void open(int round) throws InterruptedException {
        if (this.round == round) {
            return;
        }
        long waiting = 0;
        while (alive() < minClients) {
            if (waiting++ % 10 == 0) {
                LOG.warn("round {} waits for clients: {} of at least {} connected", round, alive(), minClients);
            }
            wait(1000);
        }
        this.round = round;
    }

    @Override
    public synchronized List<Integer> beforeTraining(int round, List<Integer> participants) {
        if (!secureAgg) {
            return participants;
        }
        try {
            open(round);
            return phase(round, Task.Kind.SHARE_KEYS, phase(round, Task.Kind.ADVERTISE_KEYS, participants));
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
            phase(round, Task.Kind.UNMASK, completed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while round " + round + " unmasked its aggregate", e);
        } finally {
            released.clear();
            handedOut.clear();
        }
    }

    /**
     * Hands a phase of secure aggregation to the listed clients that are connected and waits for
     * their reports, at most {@code roundTimeout}.
     *
     * @return the listed clients that reported, in their order
     */
    private List<Integer> phase(int round, Task.Kind kind, List<Integer> ids) throws InterruptedException {
        phaseDone.clear();
        List<Integer> present = new ArrayList<>();
        for (int id : ids) {
            if (alive(id)) {
                release(id, new Step(round, kind));
                present.add(id);
            }
        }
        awaitReports(present, System.nanoTime() + roundTimeout.toNanos(), phaseDone::contains);
        List<Integer> out = new ArrayList<>();
        for (int id : ids) {
            if (phaseDone.contains(id)) {
                out.add(id);
            } else {
                LOG.warn("client {} dropped out of round {} at {}", id, round, kind.name().toLowerCase());
            }
        }
        return out;
    }

    @Override
    public synchronized List<ClientReport> train(int round, List<Integer> order, Map<Integer, Long> batches) {
        try {
            open(round);
            reports.clear();
            handedOut.clear();
            long deadline = System.nanoTime() + roundTimeout.toNanos();
            if (inTurn) {
                for (int id : order) {
                    if (alive(id) && System.nanoTime() < deadline) {
                        release(id, new Step(round, Task.Kind.TRAIN, batches.getOrDefault(id, 0L)));
                        awaitReports(List.of(id), deadline, reports::containsKey);
                    }
                }
            } else {
                List<Integer> present = new ArrayList<>();
                for (int id : order) {
                    if (alive(id)) {
                        release(id, new Step(round, Task.Kind.TRAIN, batches.getOrDefault(id, 0L)));
                        present.add(id);
                    }
                }
                awaitReports(present, deadline, reports::containsKey);
            }
            List<ClientReport> out = new ArrayList<>();
            for (int id : order) {
                if (reports.containsKey(id)) {
                    out.add(reports.get(id));
                } else {
                    LOG.warn("client {} dropped out of round {}", id, round);
                }
            }
            released.clear();
            handedOut.clear();
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while round " + round + " waited for its clients", e);
        }
    }

    private void release(int id, Step step) {
        released.put(id, step);
        handedOut.remove(id);
        notifyAll();
    }

    /** Waits until every listed client has reported, has gone silent (died), or the deadline passes. */
    private void awaitReports(List<Integer> ids, long deadline, Predicate<Integer> reported) throws InterruptedException {
        while (System.nanoTime() < deadline
                && ids.stream().anyMatch(id -> !reported.test(id) && alive(id))) {
            wait(Math.max(1, Math.min(1000, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }

    @Override
    public synchronized void close() {
        finished = true;
        notifyAll();
    }

    /**
     * Waits until every connected client has heard that the run is over, or {@code timeout}.
     *
     * @param timeout the longest wait
     */
    synchronized void awaitGoodbyes(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            boolean all = true;
            for (int id = 0; id < clients; id++) {
                all &= !alive(id) || toldDone.contains(id);
            }
            if (all) {
                return;
            }
            wait(Math.max(1, Math.min(200, (end - System.nanoTime()) / 1_000_000)));
        }
    }
}
