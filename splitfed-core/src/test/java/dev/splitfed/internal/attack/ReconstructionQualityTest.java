package dev.splitfed.internal.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ReconstructionQualityTest {

    @Test
    void mseAndPsnrOfTinyArrays() {
        assertThat(ReconstructionQuality.mse(new float[] {0, 1, 2, 3}, new float[] {0, 1, 2, 5})).isEqualTo(1.0);
        assertThat(ReconstructionQuality.psnr(0.01, 1)).isCloseTo(20.0, within(1e-12));
        // 10 log10(1 / 0.25) = 10 log10 4 = 6.0206 dB.
        assertThat(ReconstructionQuality.psnr(0.25, 1)).isCloseTo(6.0206, within(1e-4));
        assertThat(ReconstructionQuality.psnr(0, 1)).isInfinite();
    }

    /** A 7 x 7 checkerboard with 25 ones: one window, mean 25/49, variance 25/49 - (25/49)^2. */
    private static float[] checkerboard() {
        float[] x = new float[49];
        for (int i = 0; i < 49; i++) {
            x[i] = i % 2 == 0 ? 1 : 0;
        }
        return x;
    }

    @Test
    void ssimOfHandComputedPairs() {
        float[] x = checkerboard();
        assertThat(ReconstructionQuality.ssim(x, x, 0, 7, 7, 1)).isCloseTo(1.0, within(1e-12));
        // Constant 0.5 against constant 0.25: (2 * 0.125 + C1) / (0.25 + 0.0625 + C1), C1 = 1e-4: 0.800064.
        float[] half = new float[49];
        float[] quarter = new float[49];
        java.util.Arrays.fill(half, 0.5f);
        java.util.Arrays.fill(quarter, 0.25f);
        assertThat(ReconstructionQuality.ssim(half, quarter, 0, 7, 7, 1)).isCloseTo(0.800064, within(1e-6));
        // Shifted by 0.1: same variance and covariance, so only the luminance term is left:
        // (2 mx my + C1) / (mx^2 + my^2 + C1) with mx = 25/49, my = mx + 0.1: 0.984196.
        float[] shifted = new float[49];
        for (int i = 0; i < 49; i++) {
            shifted[i] = x[i] + 0.1f;
        }
        assertThat(ReconstructionQuality.ssim(x, shifted, 0, 7, 7, 1)).isCloseTo(0.984196, within(1e-6));
        // Inverted: covariance -variance, so the structure term is (C2 - 2v) / (2v + C2): -0.995575.
        float[] inverted = new float[49];
        for (int i = 0; i < 49; i++) {
            inverted[i] = 1 - x[i];
        }
        assertThat(ReconstructionQuality.ssim(x, inverted, 0, 7, 7, 1)).isCloseTo(-0.995575, within(1e-6));
    }

    @Test
    void imageQualityAveragesSsimOverPlanes() {
        float[] two = new float[98];
        float[] other = new float[98];
        float[] x = checkerboard();
        System.arraycopy(x, 0, two, 0, 49);
        System.arraycopy(x, 0, two, 49, 49);
        System.arraycopy(x, 0, other, 0, 49);
        java.util.Arrays.fill(other, 49, 98, 0.5f);
        ReconstructionQuality q = ReconstructionQuality.ofImages(two, other, new int[] {1, 7, 7}, 1);
        // Plane 1 against a constant: the structure term is C2 / (v + C2), the luminance term
        // (2 mx 0.5 + C1) / (mx^2 + 0.25 + C1).
        double mx = 25.0 / 49;
        double v = mx - mx * mx;
        double second = (2 * mx * 0.5 + 1e-4) / (mx * mx + 0.25 + 1e-4) * 9e-4 / (v + 9e-4);
        assertThat(q.ssim()).isCloseTo((1 + second) / 2, within(1e-9));
        assertThat(q.mse()).isCloseTo(49 * 0.25 / 98, within(1e-12));
        assertThat(q.psnr()).isCloseTo(10 * Math.log10(1 / (49 * 0.25 / 98)), within(1e-9));
    }
}
