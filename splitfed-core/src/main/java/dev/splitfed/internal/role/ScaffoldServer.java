package dev.splitfed.internal.role;

import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.aggregate.ControlVariate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fed server of a SCAFFOLD run (Karimireddy et al. 2020, Algorithm 1): around an averaging fed
 * server, it keeps the server control variate c (zero at the start), sends it down after the global
 * weights, takes each client's delta c_i after its trained weights, and at the end of the round sets
 * {@code c <- c + (1/N) sum of delta c_i} over the clients that completed it, N being all clients of the run
 * (the paper's (|S|/N) times their mean). The weights themselves go to the averaging server, whose
 * aggregator and server optimizer move x as they would without SCAFFOLD.
 */
public final class ScaffoldServer implements FedServer, RoundControl, SubmissionGate {

    private final FedServer weights;
    private final RoundControl control;
    private final SubmissionGate gate;
    private final int clients;
    private final Map<Integer, float[]> deltas = new TreeMap<>();
    private float[] c;

    /**
     * Creates the server.
     *
     * @param averaging the fed server that aggregates the weights (a {@link FedServer}, {@link RoundControl} and {@link SubmissionGate})
     * @param clients N, every client of the run, {@code >= 1}
     */
    public <S extends FedServer & RoundControl & SubmissionGate> ScaffoldServer(S averaging, int clients) {
        if (clients < 1) {
            throw new IllegalArgumentException("SCAFFOLD needs at least one client, got " + clients);
        }
        this.weights = averaging;
        this.control = averaging;
        this.gate = averaging;
        this.clients = clients;
        this.c = new float[averaging.globalWeights().length];
    }

    @Override
    public synchronized void beginRound(int round, List<Integer> participants) {
        control.beginRound(round, participants);
        deltas.clear();
    }

    /** Returns the global weights followed by c. */
    @Override
    public synchronized float[] download(int clientId, int round) {
        return ControlVariate.join(weights.download(clientId, round), c);
    }

    /** Expects the client's trained weights followed by as many values of its delta c_i. */
    @Override
    public synchronized int expects(int clientId, int round) {
        return 2 * gate.expects(clientId, round);
    }

    /** Takes the client's trained weights followed by its delta c_i. */
    @Override
    public synchronized void submit(int clientId, int round, float[] message, int samples) {
        if (message.length != 2 * c.length) {
            throw new InvalidInputException("client " + clientId + " sent " + message.length
                    + " values, expected its " + c.length + " weights followed by as many of its control variate's change");
        }
        float[] delta = ControlVariate.variateOf(message);
        Payloads.checkFinite("client " + clientId, "a control variate's change", delta);
        // Algorithm 1, lines 16-17 of Karimireddy et al. 2020: x moves by the plain mean of the
        // clients' updates, as c moves by the plain mean of their Δc_i, so every client weighs one
        // whatever its sample count (which is still checked).
        Payloads.checkSamples(clientId, samples);
        weights.submit(clientId, round, ControlVariate.weightsOf(message), 1);
        deltas.put(clientId, delta);
    }

    @Override
    public synchronized void discard(int clientId) {
        control.discard(clientId);
        deltas.remove(clientId);
    }

    @Override
    public synchronized void endRound() {
        control.endRound();
        double[] sum = new double[c.length];
        for (float[] delta : deltas.values()) {
            for (int j = 0; j < sum.length; j++) {
                sum[j] += delta[j];
            }
        }
        float[] next = new float[c.length];
        for (int j = 0; j < next.length; j++) {
            next[j] = (float) (c[j] + sum[j] / clients);
        }
        c = next;
        deltas.clear();
    }

    @Override
    public synchronized float[] globalWeights() {
        return control.globalWeights();
    }

    /** Returns a copy of the server control variate c. */
    public synchronized float[] controlVariate() {
        return c.clone();
    }
}
