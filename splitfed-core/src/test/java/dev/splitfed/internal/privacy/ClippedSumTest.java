package dev.splitfed.internal.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.internal.random.Seeds;
import org.junit.jupiter.api.Test;

class ClippedSumTest {

    @Test
    void clipsLongVectorsToTheNormAndLeavesShortOnes() {
        ClippedSum sum = new ClippedSum(2, 1.0);
        assertThat(sum.add(new float[] {3, 4})).isEqualTo(5.0);
        assertThat(sum.add(new float[] {0.3f, 0.4f})).isCloseTo(0.5, within(1e-7));
        assertThat(sum.count()).isEqualTo(2);
        // (3, 4) becomes (0.6, 0.8); plus (0.3, 0.4) is (0.9, 1.2); over 2 is (0.45, 0.6).
        float[] out = sum.release(1e-12, 2, Seeds.rng(1, "t"));
        assertThat(out[0]).isCloseTo(0.45f, within(1e-6f));
        assertThat(out[1]).isCloseTo(0.6f, within(1e-6f));
    }

    @Test
    void noiseHasStandardDeviationNoiseTimesClipOverDivisor() {
        int n = 200_000;
        ClippedSum sum = new ClippedSum(n, 1.5);
        float[] out = sum.release(2.0, 4.0, Seeds.rng(7, "noise"));
        double mean = 0;
        double squares = 0;
        for (float v : out) {
            mean += v;
            squares += (double) v * v;
        }
        mean /= n;
        double std = Math.sqrt(squares / n - mean * mean);
        // 2.0 * 1.5 / 4 = 0.75; the standard error of the estimate is about 0.75 / sqrt(2n) = 0.0012.
        assertThat(std).isCloseTo(0.75, within(0.006));
        assertThat(mean).isCloseTo(0, within(0.006));
    }
}
