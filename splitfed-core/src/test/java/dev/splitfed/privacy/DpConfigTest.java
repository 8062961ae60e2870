package dev.splitfed.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.InvalidInputException;
import org.junit.jupiter.api.Test;

class DpConfigTest {

    @Test
    void readsDpSgdSpecsAndWritesThemBack() {
        DpSgdConfig c = DpSgdConfig.parse(" noise=1.1, clip=1 ");
        assertThat(c).isEqualTo(new DpSgdConfig(1.1, 1.0, DpSgdConfig.Sampling.POISSON));
        assertThat(DpSgdConfig.parse(c.spec())).isEqualTo(c);
        assertThat(DpSgdConfig.parse("clip=2,noise=0.5,sampling=shuffle").sampling())
                .isEqualTo(DpSgdConfig.Sampling.SHUFFLE);
    }

    @Test
    void refusesBadDpSgdSpecsWithOneSentence() {
        assertThatThrownBy(() -> DpSgdConfig.parse("noise=1.1")).isInstanceOf(InvalidInputException.class)
                .hasMessage("dp-sgd 'noise=1.1' lacks clip=VALUE");
        assertThatThrownBy(() -> DpSgdConfig.parse("noise=-1,clip=1")).isInstanceOf(InvalidInputException.class)
                .hasMessage("dp-sgd noise must be a positive number, got '-1'");
        assertThatThrownBy(() -> DpSgdConfig.parse("noise=1,clip=1,sigma=2")).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("dp-sgd 'noise=1,clip=1,sigma=2' has a field 'sigma=2'");
        assertThatThrownBy(() -> DpSgdConfig.parse("noise=1,clip=NaN")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> DpSgdConfig.parse("noise=1,clip=1,sampling=random"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("dp-sgd sampling must be poisson or shuffle, got 'random'");
    }

    @Test
    void readsDpFedAvgSpecsFixedAndAdaptive() {
        DpFedAvgConfig fixed = DpFedAvgConfig.parse("noise=1,clip=0.5");
        assertThat(fixed.adaptive()).isFalse();
        assertThat(DpFedAvgConfig.parse(fixed.spec())).isEqualTo(fixed);
        DpFedAvgConfig adaptive = DpFedAvgConfig.parse("noise=1,clip=0.5,quantile=0.5,count-noise=1");
        assertThat(adaptive.adaptive()).isTrue();
        assertThat(adaptive.clipLearningRate()).isEqualTo(0.2);
        assertThat(DpFedAvgConfig.parse(adaptive.spec())).isEqualTo(adaptive);
        assertThatThrownBy(() -> DpFedAvgConfig.parse("noise=1,clip=0.5,quantile=1.5"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("dp-fedavg quantile must be in (0, 1), got 1.5");
        assertThatThrownBy(() -> DpFedAvgConfig.parse("noise=1,clip=0.5,clip-lr=0.1"))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void adaptiveClippingLeavesTheUpdatesTheirShareOfTheNoise() {
        // Andrew et al. 2021: z^-2 = z_delta^-2 + (2 sigma_b)^-2. With z = 1 and sigma_b = 1:
        // z_delta = (1 - 1/4)^(-1/2) = 1.154700538.
        DpFedAvgConfig c = DpFedAvgConfig.parse("noise=1,clip=0.5,quantile=0.5,count-noise=1");
        assertThat(c.updateNoise(100)).isCloseTo(1.154700538, within(1e-9));
        // The default sigma_b is the expected clients over 20: 100 / 20 = 5.
        DpFedAvgConfig byDefault = DpFedAvgConfig.parse("noise=1,clip=0.5,quantile=0.5");
        assertThat(byDefault.countNoise(100)).isEqualTo(5);
        assertThat(byDefault.updateNoise(100)).isCloseTo(1 / Math.sqrt(1 - 1 / 100.0), within(1e-12));
        assertThat(DpFedAvgConfig.parse("noise=1,clip=0.5").updateNoise(100)).isEqualTo(1);
        assertThatThrownBy(() -> DpFedAvgConfig.parse("noise=4,clip=0.5,quantile=0.5,count-noise=1").updateNoise(10))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("needs count-noise > noise / 2");
    }
}
