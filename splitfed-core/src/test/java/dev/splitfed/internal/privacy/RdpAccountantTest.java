package dev.splitfed.internal.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.privacy.RdpAccountant.Conversion;
import org.junit.jupiter.api.Test;

class RdpAccountantTest {

    @Test
    void tensorFlowPrivacysMnistTutorialSpends3point01() {
        // q = 256/60000, sigma = 1.1, 60 epochs of 60000/256 steps, delta = 1e-5: epsilon 3.01.
        RdpAccountant accountant = new RdpAccountant(256.0 / 60000, 1.1);
        accountant.step(60 * 60000 / 256);
        assertThat(accountant.epsilon(1e-5, Conversion.CLASSIC)).isCloseTo(3.01, within(0.005));
    }

    @Test
    void abadiEtAlsSettingSpends1point26() {
        // Abadi et al. 2016: q = 0.01, sigma = 4, 10,000 steps, delta = 1e-5.
        RdpAccountant accountant = new RdpAccountant(0.01, 4);
        accountant.step(10_000);
        assertThat(accountant.epsilon(1e-5, Conversion.CLASSIC)).isCloseTo(1.26, within(0.005));
    }

    @Test
    void withoutSamplingItIsTheGaussianMechanism() {
        // q = 1: RDP(alpha) = alpha / (2 sigma^2); with sigma = 1 and one step, alpha = 2 gives 1.
        assertThat(RdpAccountant.rdp(1, 1, 2)).isEqualTo(1.0);
        // Hand-computed for q = 0.5, sigma = 1, alpha = 2:
        // A_2 = 0.25 e^0 + 2 * 0.25 e^0 + 0.25 e^1 = 0.75 + 0.25e; RDP = log(A_2) / 1.
        assertThat(RdpAccountant.rdp(0.5, 1, 2)).isCloseTo(Math.log(0.75 + 0.25 * Math.E), within(1e-12));
    }

    @Test
    void balleEtAlsConversionIsNeverLooserAndPrivacyGrowsWithSteps() {
        RdpAccountant accountant = new RdpAccountant(0.01, 1.1);
        assertThat(accountant.epsilon(1e-5, Conversion.CLASSIC)).isZero();
        double previous = 0;
        for (int i = 0; i < 5; i++) {
            accountant.step(1000);
            double classic = accountant.epsilon(1e-5, Conversion.CLASSIC);
            double tight = accountant.epsilon(1e-5, Conversion.BALLE2020);
            assertThat(tight).isLessThan(classic);
            assertThat(classic).isGreaterThan(previous);
            previous = classic;
        }
    }

    @Test
    void badArgumentsAreRefusedInOneSentence() {
        assertThatThrownBy(() -> new RdpAccountant(0, 1)).isInstanceOf(InvalidInputException.class)
                .hasMessage("sample rate must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> new RdpAccountant(0.1, -1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("noise multiplier must be a positive number");
        assertThatThrownBy(() -> new RdpAccountant(0.1, 1).epsilon(1, Conversion.CLASSIC))
                .isInstanceOf(InvalidInputException.class).hasMessage("delta must be in (0, 1), got 1.0");
    }
}
