package dev.splitfed.hetero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.splitfed.InvalidInputException;
import org.junit.jupiter.api.Test;

class DeviceSpeedsTest {

    @Test
    void lognormalSlowdownsHaveTheTheoreticalMoments() {
        double sigma = 0.5;
        double[] s = DeviceSpeeds.parse("lognormal:0.5").draw(200_000, 3);
        double logMean = 0;
        double logSq = 0;
        double mean = 0;
        for (double v : s) {
            logMean += Math.log(v);
            logSq += Math.log(v) * Math.log(v);
            mean += v;
        }
        logMean /= s.length;
        mean /= s.length;
        double logVar = logSq / s.length - logMean * logMean;
        double var = 0;
        for (double v : s) {
            var += (v - mean) * (v - mean);
        }
        var /= s.length;
        // log s ~ N(0, sigma^2); E[s] = exp(sigma^2 / 2) = 1.1331; Var[s] = (exp(sigma^2) - 1) exp(sigma^2) = 0.3647.
        // Standard errors at n = 200000: mean of log 0.0011, variance of log 0.0008, E[s] 0.0014, Var[s] 0.003.
        assertThat(logMean).isCloseTo(0, offset(0.006));
        assertThat(logVar).isCloseTo(sigma * sigma, offset(0.005));
        assertThat(mean).isCloseTo(Math.exp(sigma * sigma / 2), offset(0.008));
        assertThat(var).isCloseTo((Math.exp(sigma * sigma) - 1) * Math.exp(sigma * sigma), offset(0.02));
    }

    @Test
    void theDrawDependsOnlyOnTheSeedAndUniformIsAllOnes() {
        DeviceSpeeds speeds = DeviceSpeeds.parse("lognormal:1");
        assertThat(speeds.draw(10, 7)).containsExactly(speeds.draw(10, 7));
        assertThat(speeds.draw(10, 7)).isNotEqualTo(speeds.draw(10, 8));
        assertThat(DeviceSpeeds.parse("uniform").draw(4, 7)).containsExactly(1, 1, 1, 1);
        assertThat(speeds.spec()).isEqualTo("lognormal:1.0");
    }

    @Test
    void badSpecsAreRefusedWithTheExpectedForm() {
        assertThatThrownBy(() -> DeviceSpeeds.parse("lognormal:x")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("lognormal:SIGMA");
        assertThatThrownBy(() -> DeviceSpeeds.parse("lognormal:-1")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(">= 0");
        assertThatThrownBy(() -> DeviceSpeeds.parse("gamma:2")).isInstanceOf(InvalidInputException.class);
    }
}
