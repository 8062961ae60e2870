package dev.splitfed.internal.privacy;

import dev.splitfed.privacy.DpFedAvgConfig;
import dev.splitfed.privacy.DpSgdConfig;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run's differential privacy has spent so far, at one delta, with the classic RDP conversion
 * (see {@link RdpAccountant}).
 *
 * <p>Sample level (DP-SGD): each client's samples are protected by that client's own steps, with
 * q = batch / samples, so the run's epsilon is the largest of any client's. User level
 * (DP-FedAvg): one step per round, q = the fraction of clients sampled.
 */
public final class PrivacyLedger {

    private final DpSgdConfig dpSgd;
    private final double delta;
    private final Map<Integer, RdpAccountant> clients = new TreeMap<>();
    private final RdpAccountant users;

    /**
     * Creates an empty ledger.
     *
     * @param dpSgd DP-SGD's settings, or null
     * @param dpFedAvg DP-FedAvg's settings, or null
     * @param fraction the probability that a client takes part in a round
     * @param delta the delta epsilon is reported at
     */
    public PrivacyLedger(DpSgdConfig dpSgd, DpFedAvgConfig dpFedAvg, double fraction, double delta) {
        this.dpSgd = dpSgd;
        this.delta = delta;
        this.users = dpFedAvg == null ? null : new RdpAccountant(fraction, dpFedAvg.noise());
    }

    /**
     * Records a client's local training in a round.
     *
     * @param clientId the client
     * @param samples the samples it holds
     * @param batchSize the (expected) batch size
     * @param steps the DP-SGD steps it took
     */
    public void clientTrained(int clientId, int samples, int batchSize, long steps) {
        if (dpSgd != null) {
            double q = Math.min(1.0, (double) batchSize / samples);
            clients.computeIfAbsent(clientId, k -> new RdpAccountant(q, dpSgd.noise())).step(steps);
        }
    }

    /** Records a round of the fed server's mechanism. */
    public void roundDone() {
        if (users != null) {
            users.step(1);
        }
    }

    /** Returns the sample-level epsilon so far (0 before any step), or null without DP-SGD. */
    public Double sampleEpsilon() {
        if (dpSgd == null) {
            return null;
        }
        double worst = 0;
        for (RdpAccountant a : clients.values()) {
            worst = Math.max(worst, a.epsilon(delta, RdpAccountant.Conversion.CLASSIC));
        }
        return worst;
    }

    /** Returns the user-level epsilon so far, or null without DP-FedAvg. */
    public Double userEpsilon() {
        return users == null ? null : users.epsilon(delta, RdpAccountant.Conversion.CLASSIC);
    }
}
