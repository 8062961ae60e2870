package dev.splitfed.internal.model;

import dev.splitfed.model.Architecture;
import dev.splitfed.internal.privacy.NoiseSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.privacy.SmashedNoise;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class CutNoiseBlockTest {

    private static final SmashedNoise.Kind LAPLACE = SmashedNoise.Kind.LAPLACE;
    private static final SmashedNoise.Kind GAUSSIAN = SmashedNoise.Kind.GAUSSIAN;

    /** Returns the norm of values [from, to) of {@code v}: L1 for Laplace, L2 for Gaussian. */
    private static double norm(float[] v, int from, int to, SmashedNoise.Kind kind) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += kind == LAPLACE ? Math.abs(v[i]) : (double) v[i] * v[i];
        }
        return kind == LAPLACE ? sum : Math.sqrt(sum);
    }

    /** Returns x / max(1, ||x||) per row of {@code width} values, computed in double. */
    private static double[] clipByHand(double[] x, int width, SmashedNoise.Kind kind) {
        double[] out = new double[x.length];
        for (int row = 0; row < x.length / width; row++) {
            double sum = 0;
            for (int i = row * width; i < (row + 1) * width; i++) {
                sum += kind == LAPLACE ? Math.abs(x[i]) : x[i] * x[i];
            }
            double divisor = Math.max(1, kind == LAPLACE ? sum : Math.sqrt(sum));
            for (int i = row * width; i < (row + 1) * width; i++) {
                out[i] = x[i] / divisor;
            }
        }
        return out;
    }

    @Test
    void noisyCutKeepsTheShapesAndParameterCountsOfThePlainNetwork() {
        Architecture plain = Architecture.create("lenet5", new int[] {1, 28, 28}, 10);
        Architecture noisy = NoisyCut.of(plain, 1, SmashedNoise.parse("laplace:0.1"));
        assertThat(NoisyCut.of(plain, 1, SmashedNoise.NONE)).isSameAs(plain);
        try (SplitModel a = SplitModel.create(plain, 1); SplitModel b = SplitModel.create(noisy, 1)) {
            assertThat(b.client().outputShape()).containsExactly(6, 14, 14);
            assertThat(b.client().size()).isEqualTo(a.client().size()).isEqualTo(156);
            assertThat(b.server().size()).isEqualTo(a.server().size());
            b.setWeights(SplitModel.concat(a.client().defaultInitialWeights(1, "c"), a.server().defaultInitialWeights(1, "s")));
            try (NDManager m = b.manager().newSubManager()) {
                NDArray x = m.randomUniform(0f, 1f, new Shape(3, 1, 28, 28));
                assertThat(b.client().forward(x, false).getShape()).isEqualTo(new Shape(3, 6, 14, 14));
                assertThat(b.forward(x, false).getShape()).isEqualTo(new Shape(3, 10));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = SmashedNoise.Kind.class, names = {"LAPLACE", "GAUSSIAN"})
    void clippingScalesLargeSamplesOntoTheUnitSphereAndLeavesSmallOnesAlone(SmashedNoise.Kind kind) {
        Random random = new Random(3);
        int width = 24;
        double[] x = new double[3 * width];
        for (int i = 0; i < x.length; i++) {
            // Row 0 far outside the unit ball, row 1 inside it, row 2 all zero (a dead ReLU sample).
            x[i] = i < width ? 10 * random.nextGaussian() : i < 2 * width ? 0.01 * random.nextGaussian() : 0;
        }
        double[] expected = clipByHand(x, width, kind);
        float[] xf = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xf[i] = (float) x[i];
        }
        try (NDManager m = Torch.engine().newBaseManager()) {
            float[] clipped = CutNoiseBlock.clip(m.create(xf, new Shape(3, 2, 3, 4)), kind).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertThat((double) clipped[i]).isCloseTo(expected[i], within(1e-6));
            }
            assertThat(norm(clipped, 0, width, kind)).isCloseTo(1, within(1e-5));
            assertThat(norm(clipped, width, 2 * width, kind)).isLessThan(1);
            assertThat(clipped[width]).isEqualTo(xf[width]);
            assertThat(norm(clipped, 2 * width, 3 * width, kind)).isZero();
        }
    }

    /** The gradient autograd takes through the clipping against central differences of the same function in double. */
    @ParameterizedTest
    @EnumSource(value = SmashedNoise.Kind.class, names = {"LAPLACE", "GAUSSIAN"})
    void clippingGradientMatchesFiniteDifferences(SmashedNoise.Kind kind) {
        Random random = new Random(11);
        int width = 6;
        double[] x = new double[2 * width];
        double[] w = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            // Row 0 outside the ball (clipped), row 1 inside (identity); no value near 0, where |x| has a kink.
            double magnitude = i < width ? 1 + random.nextDouble() : 0.02 + 0.1 * random.nextDouble();
            x[i] = random.nextBoolean() ? magnitude : -magnitude;
            w[i] = random.nextGaussian();
        }
        float[] xf = new float[x.length];
        float[] wf = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xf[i] = (float) x[i];
            wf[i] = (float) w[i];
            x[i] = xf[i];
        }
        float[] autograd;
        try (NDManager m = Torch.engine().newBaseManager(); Torch.GradScope g = Torch.record()) {
            NDArray input = m.create(xf, new Shape(2, width));
            input.setRequiresGradient(true);
            NDArray loss = CutNoiseBlock.clip(input, kind).mul(m.create(wf, new Shape(2, width))).sum();
            Torch.backward(loss, m.ones(loss.getShape()));
            autograd = input.getGradient().toFloatArray();
        }
        double h = 1e-6;
        for (int i = 0; i < x.length; i++) {
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (dot(clipByHand(plus, width, kind), w) - dot(clipByHand(minus, width, kind), w)) / (2 * h);
            assertThat((double) autograd[i]).as("d loss / d x[%d]", i).isCloseTo(numeric, within(1e-4));
            if (i >= width) {
                assertThat((double) autograd[i]).as("identity inside the ball").isCloseTo(w[i], within(1e-6));
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * A million draws: Laplace(0, B) has mean 0, variance 2B^2 and mean absolute deviation B;
     * N(0, s^2) has mean 0, variance s^2 and mean absolute deviation s sqrt(2/pi). Tolerances are
     * about seven standard errors.
     */
    @ParameterizedTest
    @CsvSource({"LAPLACE, false", "GAUSSIAN, false", "LAPLACE, true", "GAUSSIAN, true"})
    void noiseHasTheDistributionsMoments(SmashedNoise.Kind kind, boolean fromJava) {
        double scale = 0.5;
        SmashedNoise noise = new SmashedNoise(kind, scale);
        int n = 1_000_000;
        Torch.seed(21);
        float[] v;
        try (NDManager m = Torch.engine().newBaseManager()) {
            v = fromJava
                    ? CutNoiseBlock.sample(m, new Shape(1000, 1000), noise, NoiseSource.secure().rng("t")).toFloatArray()
                    : CutNoiseBlock.sample(m, new Shape(1000, 1000), noise).toFloatArray();
        }
        double sum = 0;
        double sumSq = 0;
        double sumAbs = 0;
        for (float f : v) {
            sum += f;
            sumSq += (double) f * f;
            sumAbs += Math.abs(f);
        }
        double mean = sum / n;
        double variance = sumSq / n - mean * mean;
        double mad = sumAbs / n;
        double expectedVariance = kind == LAPLACE ? 2 * scale * scale : scale * scale;
        double expectedMad = kind == LAPLACE ? scale : scale * Math.sqrt(2 / Math.PI);
        assertThat(mean).isCloseTo(0, within(7 * Math.sqrt(expectedVariance / n)));
        assertThat(variance).isCloseTo(expectedVariance, within(0.01 * expectedVariance));
        assertThat(mad).isCloseTo(expectedMad, within(0.005 * expectedMad));
    }

    /** Without noise the layer clips each sample to norm C (25 values: C = 25 for L1, 5 for L2) and leaves smaller ones alone. */
    @ParameterizedTest
    @EnumSource(value = SmashedNoise.Kind.class, names = {"LAPLACE", "GAUSSIAN"})
    void vanishingNoiseLeavesPlainClippingAtNormC(SmashedNoise.Kind kind) {
        CutNoiseBlock block = new CutNoiseBlock(new SmashedNoise(kind, 1e-30), null);
        double c = kind == LAPLACE ? 25 : 5;
        assertThat(CutNoiseBlock.unit(kind, 25)).isEqualTo((float) c);
        try (NDManager m = Torch.engine().newBaseManager()) {
            float[] x = new float[2 * 25];
            Random random = new Random(8);
            for (int i = 0; i < x.length; i++) {
                // Sample 0 far outside the ball of radius C, sample 1 inside it.
                x[i] = (float) (random.nextGaussian() * (i < 25 ? 30 : 0.1));
            }
            double[] expected = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                expected[i] = x[i] / c;
            }
            expected = clipByHand(expected, 25, kind);
            float[] out = block.forward(new ParameterStore(m, false), new NDList(m.create(x, new Shape(2, 5, 5))), true)
                    .singletonOrThrow().toFloatArray();
            for (int i = 0; i < out.length; i++) {
                assertThat((double) out[i]).isCloseTo(expected[i] * c, within(1e-5 * c));
            }
            assertThat(norm(out, 0, 25, kind)).isCloseTo(c, within(1e-4 * c));
            for (int i = 25; i < 50; i++) {
                assertThat(out[i]).isCloseTo(x[i], within(1e-7f));
            }
        }
    }

    @Test
    void sameSeedDrawsTheSameNoiseAndAnotherSeedOther() {
        SmashedNoise noise = SmashedNoise.parse("gaussian:1");
        float[] first;
        float[] again;
        float[] other;
        try (NDManager m = Torch.engine().newBaseManager()) {
            Torch.seed(5);
            first = CutNoiseBlock.sample(m, new Shape(100), noise).toFloatArray();
            Torch.seed(5);
            again = CutNoiseBlock.sample(m, new Shape(100), noise).toFloatArray();
            Torch.seed(6);
            other = CutNoiseBlock.sample(m, new Shape(100), noise).toFloatArray();
        }
        assertThat(again).containsExactly(first);
        assertThat(other).isNotEqualTo(first);
    }
}
