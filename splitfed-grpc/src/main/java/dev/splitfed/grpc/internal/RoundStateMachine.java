package dev.splitfed.grpc.internal;

import dev.splitfed.internal.role.ClientReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Where the remote clients stand in the run's rounds: which are connected, which round is open,
 * which client has which assignment and has taken it, who has reported, who dropped out, and when
 * the current phase's deadline passes. It holds no network types and no threads: {@link Coordinator}
 * calls it under its lock, waits between calls and turns assignments into tasks on the wire.
 *
 * <p>A round is opened once enough clients are connected. With secure aggregation it runs the
 * phases AdvertiseKeys and ShareKeys before training and Unmasking after it (Bonawitz et al.
 * 2017); each phase (and training) hands an assignment to the listed clients that are connected
 * and collects reports until all of them reported or went silent, or the deadline passed. A
 * listed client that did not report is dropped from the round's later phases; it may take part in
 * the next round once it is connected again.
 */
public final class RoundStateMachine {

    /** The work of a round, in the order it runs. */
    enum Phase {
        /** Secure aggregation: send fresh public keys. */
        ADVERTISE_KEYS,
        /** Secure aggregation: send sealed shares of the round's secrets. */
        SHARE_KEYS,
        /** Train on local data. */
        TRAIN,
        /** Secure aggregation: send the shares that remove the survivors' masks. */
        UNMASK
    }

    /**
     * A client's part of a round: a phase and, for training, the most batches (0 for all).
     *
     * @param round the round
     * @param phase the work
     * @param batches for {@link Phase#TRAIN}, the most batches, or 0 for all of them
     */
    record Assignment(int round, Phase phase, long batches) {

        /** Returns where the assignment comes in the run: by round, and within a round in phase order. */
        long order() {
            return RoundStateMachine.order(round, phase);
        }
    }

    /** The order of "nothing done yet": before every assignment of the run. */
    static final long NOTHING_DONE = 0;

    private final int clients;
    private final int minClients;
    private final long roundTimeout;
    private final LongSupplier clock;
    private final Liveness liveness;
    private final Map<Integer, Assignment> assigned = new HashMap<>();
    private final Set<Integer> handedOut = new HashSet<>();
    private final Map<Integer, ClientReport> trained = new HashMap<>();
    private final Set<Integer> phaseDone = new HashSet<>();
    private final Set<Integer> dropped = new TreeSet<>();
    private final Set<Integer> toldDone = new HashSet<>();
    private int round;
    private long deadline;
    private boolean finished;

    /**
     * Creates the state of a run before its first round.
     *
     * @param clients the number of client ids, 0 to clients - 1
     * @param minClients how many must be connected before a round opens
     * @param roundTimeout how long a phase (or training) waits for its clients' reports
     * @param clock the time in nanoseconds ({@code System::nanoTime}; tests move it by hand)
     * @param alive how long a client not heard from counts as connected
     */
    RoundStateMachine(int clients, int minClients, Duration roundTimeout, LongSupplier clock, Duration alive) {
        this.clients = clients;
        this.minClients = minClients;
        this.roundTimeout = roundTimeout.toNanos();
        this.clock = clock;
        this.liveness = new Liveness(clock, alive);
    }

    /** Returns where an assignment of a round and phase comes in the run (see {@link Assignment#order()}). */
    static long order(int round, Phase phase) {
        return round * 8L + phase.ordinal() + 1;
    }

    /** Records that a client was heard from: it joined or sent a heartbeat. */
    void heard(int clientId) {
        liveness.heard(clientId);
    }

    /** Records that a client began a long poll for its next assignment. */
    void pollStarted(int clientId) {
        liveness.pollStarted(clientId);
    }

    /** Records that a client's long poll ended. */
    void pollEnded(int clientId) {
        liveness.pollEnded(clientId);
    }

    /** Returns whether a client is connected. */
    boolean alive(int clientId) {
        return liveness.alive(clientId);
    }

    /** Returns the connected clients, in ascending order. */
    Set<Integer> connected() {
        Set<Integer> out = new TreeSet<>();
        for (int id = 0; id < clients; id++) {
            if (alive(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /** Returns the open round, 0 before the first. */
    int round() {
        return round;
    }

    /**
     * Opens a round if it is open already or enough clients are connected.
     *
     * @param round the round
     * @return whether the round is open; if not, the caller waits for clients and asks again
     */
    boolean open(int round) {
        if (this.round == round) {
            return true;
        }
        if (connected().size() < minClients) {
            return false;
        }
        this.round = round;
        dropped.clear();
        return true;
    }

    /** Returns how many clients a round needs connected before it opens. */
    int minClients() {
        return minClients;
    }

    /**
     * Starts a secure-aggregation phase: hands it to the listed clients that are connected and
     * starts the phase's deadline.
     *
     * @param phase the phase, not {@link Phase#TRAIN}
     * @param ids the clients still in the round
     * @return the listed clients that were handed the phase, in their order
     */
    List<Integer> beginPhase(Phase phase, List<Integer> ids) {
        phaseDone.clear();
        List<Integer> present = new ArrayList<>();
        for (int id : ids) {
            if (alive(id)) {
                assign(id, new Assignment(round, phase, 0));
                present.add(id);
            }
        }
        deadline = clock.getAsLong() + roundTimeout;
        return present;
    }

    /**
     * Ends a secure-aggregation phase: the listed clients that did not report drop out of the round.
     *
     * @param ids the clients the phase was meant for
     * @return those that reported, in their order
     */
    List<Integer> endPhase(List<Integer> ids) {
        return survivors(ids, phaseDone::contains);
    }

    /** Starts the round's training: no reports yet, and the deadline runs from now. */
    void beginTraining() {
        trained.clear();
        handedOut.clear();
        deadline = clock.getAsLong() + roundTimeout;
    }

    /**
     * Hands training to a client if it is connected.
     *
     * @param clientId the client
     * @param batches the most batches it may train, 0 for all
     * @return whether it was handed the assignment
     */
    boolean assignTraining(int clientId, long batches) {
        if (!alive(clientId)) {
            return false;
        }
        assign(clientId, new Assignment(round, Phase.TRAIN, batches));
        return true;
    }

    /**
     * Ends the round's training: the listed clients that did not report drop out of the round, and
     * every assignment is withdrawn.
     *
     * @param order the clients that were to train, in the order they were served
     * @return the reports of those that trained, in that order
     */
    List<ClientReport> endTraining(List<Integer> order) {
        List<ClientReport> out = new ArrayList<>();
        for (int id : survivors(order, trained::containsKey)) {
            out.add(trained.get(id));
        }
        withdraw();
        return out;
    }

    /** Ends the round: every assignment is withdrawn, so a late report of it is refused. */
    void withdraw() {
        assigned.clear();
        handedOut.clear();
    }

    private void assign(int clientId, Assignment assignment) {
        assigned.put(clientId, assignment);
        handedOut.remove(clientId);
    }

    private List<Integer> survivors(List<Integer> ids, Predicate<Integer> reported) {
        List<Integer> out = new ArrayList<>();
        for (int id : ids) {
            if (reported.test(id)) {
                out.add(id);
            } else {
                dropped.add(id);
            }
        }
        return out;
    }

    /** Returns whether the current deadline is still ahead. */
    boolean beforeDeadline() {
        return clock.getAsLong() < deadline;
    }

    /** Returns the milliseconds until the current deadline, negative once it has passed. */
    long millisToDeadline() {
        return (deadline - clock.getAsLong()) / 1_000_000;
    }

    /**
     * Returns whether to go on waiting for the listed clients' reports of a phase: the deadline is
     * ahead and one of them has neither reported nor gone silent.
     */
    boolean awaiting(List<Integer> ids, Phase phase) {
        return beforeDeadline() && ids.stream().anyMatch(id -> !reported(id, phase) && alive(id));
    }

    /** Returns whether a client has reported the phase of this round it was assigned. */
    boolean reported(int clientId, Phase phase) {
        return phase == Phase.TRAIN ? trained.containsKey(clientId) : phaseDone.contains(clientId);
    }

    /**
     * Returns whether a client has an assignment it has not yet been handed, later than what it has
     * done: an assignment is handed out once per client, round and phase, whatever the client asks.
     *
     * @param clientId the client
     * @param after the {@link Assignment#order()} of the last assignment it did here, or
     *     {@link #NOTHING_DONE}
     */
    boolean due(int clientId, long after) {
        Assignment a = assigned.get(clientId);
        return a != null && a.order() > after && !handedOut.contains(clientId);
    }

    /**
     * Hands a client its due assignment.
     *
     * @param clientId the client
     * @param after as for {@link #due}
     * @return the assignment, or null when none is due
     */
    Assignment handOut(int clientId, long after) {
        if (!due(clientId, after)) {
            return null;
        }
        handedOut.add(clientId);
        return assigned.get(clientId);
    }

    /**
     * Takes in a client's report of an assignment.
     *
     * @param round the round it reports
     * @param phase the phase it reports
     * @param report its figures (for training: samples seen and loss sum)
     * @return whether the report was taken; false when that round and phase are not open for the client
     */
    boolean report(int round, Phase phase, ClientReport report) {
        int id = report.clientId();
        Assignment a = assigned.get(id);
        if (round != this.round || a == null || a.phase() != phase) {
            return false;
        }
        if (phase == Phase.TRAIN) {
            trained.put(id, report);
        } else {
            phaseDone.add(id);
        }
        return true;
    }

    /** Returns each client's current assignment (handed out or not), by client id. */
    Map<Integer, Assignment> assignments() {
        return Map.copyOf(assigned);
    }

    /** Returns the clients that have taken their current assignment. */
    Set<Integer> handedOut() {
        return new TreeSet<>(handedOut);
    }

    /** Returns the clients that dropped out of the open round so far, in ascending order. */
    Set<Integer> dropped() {
        return new TreeSet<>(dropped);
    }

    /** Ends the run: clients that ask for work from now on hear that it is over. */
    void finish() {
        finished = true;
    }

    /** Returns whether the run is over. */
    boolean finished() {
        return finished;
    }

    /** Records that a client heard that the run is over. */
    void toldDone(int clientId) {
        toldDone.add(clientId);
    }

    /** Returns whether every connected client has heard that the run is over. */
    boolean allToldDone() {
        for (int id = 0; id < clients; id++) {
            if (alive(id) && !toldDone.contains(id)) {
                return false;
            }
        }
        return true;
    }
}
