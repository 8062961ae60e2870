package dev.splitfed.internal.privacy;

import dev.splitfed.privacy.DpFedAvgConfig;
import dev.splitfed.privacy.DpSgdConfig;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrivacyLedgerTest {

    @Test
    void sampleEpsilonIsTheWorstClientsAndUserEpsilonCountsRounds() {
        PrivacyLedger ledger = new PrivacyLedger(DpSgdConfig.parse("noise=1.1,clip=1"),
                DpFedAvgConfig.parse("noise=1,clip=1"), 0.1, 1e-5);
        assertThat(ledger.sampleEpsilon()).isZero();
        ledger.clientTrained(0, 6400, 64, 100);
        ledger.clientTrained(1, 640, 64, 10);
        ledger.roundDone();
        ledger.clientTrained(0, 6400, 64, 100);
        ledger.roundDone();
        RdpAccountant big = new RdpAccountant(0.01, 1.1);
        big.step(200);
        RdpAccountant small = new RdpAccountant(0.1, 1.1);
        small.step(10);
        double expected = Math.max(big.epsilon(1e-5, RdpAccountant.Conversion.CLASSIC),
                small.epsilon(1e-5, RdpAccountant.Conversion.CLASSIC));
        assertThat(ledger.sampleEpsilon()).isEqualTo(expected);
        RdpAccountant users = new RdpAccountant(0.1, 1);
        users.step(2);
        assertThat(ledger.userEpsilon()).isEqualTo(users.epsilon(1e-5, RdpAccountant.Conversion.CLASSIC));
    }

    @Test
    void reportsNothingForMechanismsNotInUse() {
        PrivacyLedger none = new PrivacyLedger(null, null, 1, 1e-5);
        none.clientTrained(0, 100, 10, 10);
        none.roundDone();
        assertThat(none.sampleEpsilon()).isNull();
        assertThat(none.userEpsilon()).isNull();
    }
}
