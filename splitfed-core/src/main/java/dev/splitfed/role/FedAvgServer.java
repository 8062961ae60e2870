package dev.splitfed.role;

import dev.splitfed.InvalidInputException;
import dev.splitfed.aggregate.Aggregator;
import dev.splitfed.aggregate.ClientUpdate;
import dev.splitfed.privacy.DpFedAvg;
import java.util.ArrayList;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;

/**
 * The fed server of {@code fl}, {@code sflv1} and {@code sflv2}: every participant starts from the
 * same global weights, and at the end of the round the submitted weights are aggregated (FedAvg by
 * default). A round in which nobody submitted leaves the global weights as they were.
 *
 * <p>With DP-FedAvg the round's weights go through {@link DpFedAvg} instead: clipped, equally
 * weighted, noised; then even a round nobody completed moves the weights, by its noise.
 */
public final class FedAvgServer implements FedServer, RoundControl {

    private final Aggregator aggregator;
    private final DpFedAvg dp;
    private final RoundGate gate = new RoundGate();
    private final Map<Integer, ClientUpdate> submitted = new TreeMap<>();
    private float[] global;
    private int round;

    /**
     * Creates the server.
     *
     * @param initialWeights the global weights before round 1
     * @param aggregator how the round's weights are combined
     */
    public FedAvgServer(float[] initialWeights, Aggregator aggregator) {
        this(initialWeights, aggregator, null);
    }

    /**
     * Creates the server, with user-level differential privacy.
     *
     * @param initialWeights the global weights before round 1
     * @param aggregator how the round's weights are combined without DP
     * @param dp DP-FedAvg, which then replaces the aggregator; null for none
     */
    public FedAvgServer(float[] initialWeights, Aggregator aggregator, DpFedAvg dp) {
        this.global = initialWeights.clone();
        this.aggregator = aggregator;
        this.dp = dp;
    }

    @Override
    public synchronized void beginRound(int round, List<Integer> participants) {
        gate.open(round, participants);
        submitted.clear();
        this.round = round;
    }

    @Override
    public synchronized float[] download(int clientId, int round) {
        gate.check(clientId, round);
        return global.clone();
    }

    @Override
    public synchronized void submit(int clientId, int round, float[] weights, int samples) {
        gate.check(clientId, round);
        if (submitted.containsKey(clientId)) {
            throw new InvalidInputException("client " + clientId + " already submitted in round " + round);
        }
        Payloads.checkSamples(clientId, samples);
        Payloads.checkWeights("client " + clientId, weights, global.length);
        submitted.put(clientId, new ClientUpdate(clientId, weights.clone(), samples));
    }

    @Override
    public synchronized void discard(int clientId) {
        gate.exclude(clientId);
        submitted.remove(clientId);
    }

    @Override
    public synchronized void endRound() {
        gate.close();
        if (dp != null) {
            global = dp.aggregate(global, new ArrayList<>(submitted.values()), round);
        } else if (!submitted.isEmpty()) {
            global = aggregator.aggregate(new ArrayList<>(submitted.values()));
        }
        submitted.clear();
    }

    @Override
    public synchronized float[] globalWeights() {
        return global.clone();
    }
}
