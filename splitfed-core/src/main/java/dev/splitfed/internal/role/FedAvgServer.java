package dev.splitfed.internal.role;

import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.aggregate.Aggregation;
import dev.splitfed.aggregate.ClientUpdate;
import dev.splitfed.internal.aggregate.FedBuff;
import dev.splitfed.internal.aggregate.ServerOptimizer;
import dev.splitfed.internal.privacy.DpFedAvg;
import java.util.ArrayList;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;

/**
 * The fed server of {@code fl}, {@code sflv1} and {@code sflv2}: every participant starts from the
 * same global weights, and at the end of the round the submitted updates (trained weights minus
 * the round's global weights) are aggregated and applied (FedAvg by default). A round in which
 * nobody submitted leaves the global weights as they were.
 *
 * <p>With DP-FedAvg the round's updates go through {@link DpFedAvg} instead of the aggregator:
 * clipped, equally weighted, noised; the aggregation's optimizer applies the result, so even a
 * round nobody completed moves the weights, by its noise.
 *
 * <p>Under FedBuff ({@link #buffered}) there are no rounds: each client downloads the weights its
 * job started from, and its update against them is buffered and applied with the others'
 * ({@link FedBuff}).
 */
public final class FedAvgServer implements FedServer, RoundControl, AsyncControl, SubmissionGate {

    private final Aggregation aggregation;
    private final DpFedAvg dp;
    private final RoundGate gate = new RoundGate();
    private final Map<Integer, ClientUpdate> submitted = new TreeMap<>();
    private final FedBuff fedBuff;
    private final Map<Integer, Submission> handedIn = new TreeMap<>();
    private float[] global;
    private int round;

    /**
     * Creates the server.
     *
     * @param initialWeights the global weights before round 1
     * @param aggregation how the round's updates are combined and applied
     */
    public FedAvgServer(float[] initialWeights, Aggregation aggregation) {
        this(initialWeights, aggregation, null);
    }

    /**
     * Creates the server, with user-level differential privacy.
     *
     * @param initialWeights the global weights before round 1
     * @param aggregation how the round's updates are combined and applied
     * @param dp DP-FedAvg, which then replaces the aggregation's aggregator; null for none
     */
    public FedAvgServer(float[] initialWeights, Aggregation aggregation, DpFedAvg dp) {
        this(initialWeights, aggregation, dp, null);
    }

    private FedAvgServer(float[] initialWeights, Aggregation aggregation, DpFedAvg dp, FedBuff fedBuff) {
        this.global = initialWeights.clone();
        this.aggregation = aggregation;
        this.dp = dp;
        this.fedBuff = fedBuff;
    }

    /**
     * Creates a server under asynchronous buffered aggregation (FedBuff; Nguyen et al. 2022).
     *
     * @param initialWeights the global weights before the first step
     * @param aggregation how a step's buffered updates are combined and applied
     * @param lr eta, the server learning rate
     * @return the server
     */
    public static FedAvgServer buffered(float[] initialWeights, Aggregation aggregation, double lr) {
        return new FedAvgServer(initialWeights, aggregation, null, new FedBuff(lr));
    }

    @Override
    public synchronized void beginRound(int round, List<Integer> participants) {
        gate.open(round, participants);
        submitted.clear();
        this.round = round;
    }

    @Override
    public synchronized float[] download(int clientId, int round) {
        if (fedBuff != null) {
            return fedBuff.startWeights(clientId, round).clone();
        }
        gate.check(clientId, round);
        return global.clone();
    }

    @Override
    public synchronized int expects(int clientId, int round) {
        if (fedBuff != null) {
            fedBuff.startWeights(clientId, round);
            if (handedIn.containsKey(clientId)) {
                throw new InvalidInputException("client " + clientId + " already handed in job " + round);
            }
            return global.length;
        }
        gate.check(clientId, round);
        if (submitted.containsKey(clientId)) {
            throw new InvalidInputException("client " + clientId + " already submitted in round " + round);
        }
        return global.length;
    }

    @Override
    public synchronized void submit(int clientId, int round, float[] weights, int samples) {
        if (fedBuff != null) {
            fedBuff.startWeights(clientId, round);
            if (handedIn.containsKey(clientId)) {
                throw new InvalidInputException("client " + clientId + " already handed in job " + round);
            }
            Payloads.checkSamples(clientId, samples);
            Payloads.checkWeights("client " + clientId, weights, global.length);
            handedIn.put(clientId, new Submission(weights.clone(), samples));
            return;
        }
        gate.check(clientId, round);
        if (submitted.containsKey(clientId)) {
            throw new InvalidInputException("client " + clientId + " already submitted in round " + round);
        }
        Payloads.checkSamples(clientId, samples);
        Payloads.checkWeights("client " + clientId, weights, global.length);
        submitted.put(clientId, ClientUpdate.between(clientId, weights, global, samples));
    }

    @Override
    public synchronized void discard(int clientId) {
        if (fedBuff != null) {
            fedBuff.forget(clientId);
            handedIn.remove(clientId);
            return;
        }
        gate.exclude(clientId);
        submitted.remove(clientId);
    }

    @Override
    public synchronized void start(int clientId, int job) {
        buffering();
        handedIn.remove(clientId);
        fedBuff.start(clientId, job, global);
    }

    @Override
    public synchronized void arrived(int clientId) {
        buffering();
        Submission s = handedIn.remove(clientId);
        if (s == null) {
            throw new IllegalStateException("client " + clientId + " finished without handing in its weights");
        }
        fedBuff.arrived(clientId, s.weights, s.samples);
    }

    @Override
    public synchronized void step() {
        buffering();
        global = fedBuff.step(global, aggregation);
    }

    @Override
    public synchronized void endRound() {
        gate.close();
        if (dp != null) {
            // DP-FedAdam and the like: the optimizer post-processes the released update.
            global = aggregation.optimizer().step(global, dp.update(global.length, new ArrayList<>(submitted.values()), round));
        } else {
            global = aggregation.apply(global, new ArrayList<>(submitted.values()));
        }
        submitted.clear();
    }

    /** Returns the server optimizer, whose state a checkpoint keeps. */
    public ServerOptimizer optimizer() {
        return aggregation.optimizer();
    }

    @Override
    public synchronized float[] globalWeights() {
        return global.clone();
    }

    private void buffering() {
        if (fedBuff == null) {
            throw new IllegalStateException("this fed server aggregates in rounds, not asynchronously");
        }
    }

    /** Trained weights a client handed in under FedBuff, awaiting the driver's word that its job is done. */
    private record Submission(float[] weights, int samples) {}
}
