package dev.splitfed.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmashedNoiseTest {

    @Test
    void parsesEveryKindAndWritesItBack() {
        assertThat(SmashedNoise.parse("none")).isEqualTo(SmashedNoise.NONE);
        assertThat(SmashedNoise.parse(" Laplace:0.5 ")).isEqualTo(new SmashedNoise(SmashedNoise.Kind.LAPLACE, 0.5));
        assertThat(SmashedNoise.parse("gaussian:1e-3")).isEqualTo(new SmashedNoise(SmashedNoise.Kind.GAUSSIAN, 0.001));
        for (String spec : new String[] {"none", "laplace:0.001", "gaussian:2.5", "laplace:1.0E-4"}) {
            SmashedNoise noise = SmashedNoise.parse(spec);
            assertThat(SmashedNoise.parse(noise.spec())).isEqualTo(noise);
        }
        assertThat(SmashedNoise.parse("laplace:5e-4").spec()).isEqualTo("laplace:0.0005");
        assertThat(SmashedNoise.parse("gaussian:10.0").spec()).isEqualTo("gaussian:10");
    }

    @ParameterizedTest
    @ValueSource(strings = {"laplace:0", "laplace:-1", "gaussian:NaN", "gaussian:Infinity", "laplace:", "laplace",
        "uniform:1", "gaussian:abc", ""})
    void refusesABadSpecWithOneSentence(String spec) {
        assertThatThrownBy(() -> SmashedNoise.parse(spec))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not one of none, laplace:B, gaussian:SIGMA");
    }

    @Test
    void laplaceIsTwoOverBPerReleaseAndAddsUp() {
        SmashedNoise noise = SmashedNoise.parse("laplace:0.5");
        assertThat(noise.epsilon(1, 1e-5)).isEqualTo(4.0);
        assertThat(noise.epsilon(30, 1e-5)).isEqualTo(120.0);
        assertThat(noise.describe(30, 1e-5)).contains("4-DP").contains("120-DP");
    }

    /** sqrt(2 ln(1.25 / 1e-5)) = 4.844805; times the sensitivity 2 over sigma 20: 0.484481. */
    @Test
    void classicGaussianBoundHoldsOnlyBelowOne() {
        assertThat(SmashedNoise.parse("gaussian:20").classicGaussianEpsilon(1e-5)).isCloseTo(0.4844805, within(1e-6));
        assertThat(SmashedNoise.parse("gaussian:9.6").classicGaussianEpsilon(1e-5)).isNaN();
    }

    /**
     * RDP of the Gaussian mechanism with sensitivity 2: T alpha 4 / (2 sigma^2), plus ln(1/delta) /
     * (alpha - 1). Sigma 2, one release: alpha 6 gives 3 + ln(1e5) / 5 = 5.302585. Sigma 20, ten
     * releases: alpha 16 gives 0.8 + ln(1e5) / 15 = 1.567528.
     */
    @Test
    void gaussianComposesInRenyiDp() {
        assertThat(SmashedNoise.parse("gaussian:2").epsilon(1, 1e-5)).isCloseTo(5.302585, within(1e-6));
        assertThat(SmashedNoise.parse("gaussian:20").epsilon(10, 1e-5)).isCloseTo(1.567528, within(1e-6));
    }

    @Test
    void noNoiseGuaranteesNothing() {
        assertThat(SmashedNoise.NONE.enabled()).isFalse();
        assertThat(SmashedNoise.NONE.epsilon(1, 1e-5)).isInfinite();
    }
}
