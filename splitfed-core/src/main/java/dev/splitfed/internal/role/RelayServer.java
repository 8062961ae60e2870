package dev.splitfed.internal.role;

import java.util.List;

/**
 * The fed server of vanilla split learning (Gupta and Raskar 2018; Vepakomma et al. 2018):
 * clients train in turn and each starts from the client-side weights the previous one handed in,
 * with no averaging. Sequential by nature: a download returns the latest submission.
 */
public final class RelayServer implements FedServer, RoundControl, SubmissionGate {

    private final RoundGate gate = new RoundGate();
    private float[] latest;

    /**
     * Creates the relay.
     *
     * @param initialWeights the client-side weights the first client starts from
     */
    public RelayServer(float[] initialWeights) {
        this.latest = initialWeights.clone();
    }

    @Override
    public synchronized void beginRound(int round, List<Integer> participants) {
        gate.open(round, participants);
    }

    @Override
    public synchronized float[] download(int clientId, int round) {
        gate.check(clientId, round);
        return latest.clone();
    }

    @Override
    public synchronized int expects(int clientId, int round) {
        gate.check(clientId, round);
        return latest.length;
    }

    @Override
    public synchronized void submit(int clientId, int round, float[] weights, int samples) {
        gate.check(clientId, round);
        Payloads.checkSamples(clientId, samples);
        latest = Payloads.checkWeights("client " + clientId, weights, latest.length).clone();
    }

    /** Refuses the client for the rest of the round; W_C it already handed on stays with the next client. */
    @Override
    public synchronized void discard(int clientId) {
        gate.exclude(clientId);
    }

    @Override
    public synchronized void endRound() {
        gate.close();
    }

    @Override
    public synchronized float[] globalWeights() {
        return latest.clone();
    }
}
