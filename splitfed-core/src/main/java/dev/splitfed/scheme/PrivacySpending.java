package dev.splitfed.scheme;

import dev.splitfed.internal.privacy.PrivacyLedger;
import java.util.List;

/** Feeds the privacy ledger what each round's DP mechanisms spent. */
final class PrivacySpending {

    private final PrivacyLedger ledger;
    private final ClientWorkload workload;
    private final int batchSize;

    /**
     * Creates an empty account for a run.
     *
     * @param config the run's settings: DP-SGD, DP-FedAvg, fraction, delta and batch size
     * @param workload the clients' samples and batches
     */
    PrivacySpending(SimulationConfig config, ClientWorkload workload) {
        this.ledger = new PrivacyLedger(config.dpSgd(), config.dpFedAvg(), config.fraction(), config.delta());
        this.workload = workload;
        this.batchSize = config.batchSize();
    }

    /** Records what a round spent: each trained client's DP-SGD steps, and the fed server's round. */
    void roundDone(List<Integer> trained) {
        for (int k : trained) {
            ledger.clientTrained(k, workload.samples(k), batchSize, workload.fullBatches(k));
        }
        ledger.roundDone();
    }

    /** Returns the sample-level epsilon so far, or null without DP-SGD. */
    Double sampleEpsilon() {
        return ledger.sampleEpsilon();
    }

    /** Returns the user-level epsilon so far, or null without DP-FedAvg. */
    Double userEpsilon() {
        return ledger.userEpsilon();
    }
}
