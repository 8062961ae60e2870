package dev.splitfed.internal.model;

import dev.splitfed.internal.privacy.NoiseSource;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.GaussianSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.splitfed.privacy.SmashedNoise;

/**
 * PixelDP's noise layer (Lecuyer et al. 2019): scales each sample's activations into the unit ball
 * of the noise's norm (L1 for Laplace, L2 for Gaussian), then adds independent noise to every
 * value, in training and in inference alike; it measures norms in units of a constant C (see
 * {@link #unit}). It has no parameters and keeps the shape.
 *
 * <p>The scaling clips, {@code x / max(1, ||x||)}, rather than dividing by the norm: both bound the
 * sensitivity by 2, but clipping needs no guard for an all-zero sample (dead ReLUs) and reads as
 * DP-SGD's per-example clipping (Abadi et al. 2016). Activations of a fresh network have norms far
 * above 1, so in practice clipping divides. Backpropagation goes through the clipping as autograd
 * computes it and through the noise unchanged (the noise is a constant of the batch).
 *
 * <p>The noise comes from PyTorch's default generator, which {@code Torch.seed} seeds, or from a
 * {@link NoiseSource}, a fresh generator for every batch.
 */
public final class CutNoiseBlock extends AbstractBlock {

    private final SmashedNoise noise;
    private final NoiseSource source;
    private long batches;

    CutNoiseBlock(SmashedNoise noise, NoiseSource source) {
        if (!noise.enabled()) {
            throw new IllegalArgumentException("a noise layer needs a noise, not " + noise.spec());
        }
        this.noise = noise;
        this.source = source;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray c = constant(x.getManager(), unit(noise.kind(), x.getShape().size() / x.getShape().get(0)));
        NDArray clipped = clip(x.div(c), noise.kind());
        NDArray drawn = source == null
                ? sample(x.getManager(), x.getShape(), noise)
                : sample(x.getManager(), x.getShape(), noise, source.rng("smashed", batches++));
        return new NDList(clipped.add(drawn).mul(c));
    }

    /**
     * Returns the norm C that counts as 1: {@code d} for L1 and {@code sqrt(d)} for L2, {@code d}
     * being the values per sample. The layer works on {@code x / C}, so a sample is clipped only
     * when its mean absolute value (L1) or root mean square (L2) exceeds 1, and multiplies the noisy
     * result by C again, so that the server-side layers see values of order 1, as their
     * initialisation expects (in the unit ball itself a value is of order 1/d or 1/sqrt(d), and a
     * LeNet-5 does not learn). Below the clipping norm the layer is the identity plus noise, so it
     * never amplifies a gradient. Dividing the input by a constant is part of the client's function
     * and multiplying the output by one is post-processing: the guarantee is that of the unit ball.
     *
     * @param kind which norm
     * @param valuesPerSample d
     * @return C
     */
    static float unit(SmashedNoise.Kind kind, long valuesPerSample) {
        return (float) (kind == SmashedNoise.Kind.LAPLACE ? valuesPerSample : Math.sqrt(valuesPerSample));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    /**
     * Returns each sample of {@code x} scaled to norm at most 1: {@code x / max(1, ||x||)} per
     * sample, with the L1 norm for Laplace and the L2 norm for Gaussian noise.
     *
     * @param x a batch, first dimension the samples
     * @param kind which norm
     * @return the clipped batch, same shape
     */
    static NDArray clip(NDArray x, SmashedNoise.Kind kind) {
        int[] axes = new int[x.getShape().dimension() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        NDArray one = constant(x.getManager(), 1f);
        // max(1, .) before the square root keeps sqrt away from 0, whose gradient is infinite.
        NDArray divisor = kind == SmashedNoise.Kind.LAPLACE
                ? x.abs().sum(axes, true).maximum(one)
                : x.square().sum(axes, true).maximum(one).sqrt();
        return x.div(divisor);
    }

    /**
     * Returns a scalar that lives as long as {@code manager}. DJL's {@code mul(Number)} and its
     * kind free their scalar as soon as the operator returns, but autograd keeps the operands of
     * {@code mul}, {@code div} and {@code maximum} for the backward pass, which would then read
     * freed memory; a scalar from {@code full} is PyTorch's own and stays until the batch ends.
     */
    private static NDArray constant(NDManager manager, float value) {
        return manager.full(new Shape(), value, DataType.FLOAT32);
    }

    /**
     * Returns fresh noise of the given shape: Laplace(0, B) as B times the difference of two
     * standard exponentials, each {@code -ln(1 - U)} with U uniform in [0, 1) (so never ln 0), or
     * N(0, SIGMA^2).
     *
     * @param manager where the array lives
     * @param shape its shape
     * @param noise the distribution
     * @return the noise
     */
    static NDArray sample(NDManager manager, Shape shape, SmashedNoise noise) {
        float scale = (float) noise.scale();
        if (noise.kind() == SmashedNoise.Kind.GAUSSIAN) {
            return manager.randomNormal(0f, scale, shape, DataType.FLOAT32);
        }
        NDArray first = manager.randomUniform(0f, 1f, shape).neg().add(1f).log();
        NDArray second = manager.randomUniform(0f, 1f, shape).neg().add(1f).log();
        return first.sub(second).mul(scale);
    }

    /**
     * Returns fresh noise of the given shape drawn from {@code rng}: Laplace(0, B) or N(0, SIGMA^2).
     *
     * @param manager where the array lives
     * @param shape its shape
     * @param noise the distribution
     * @param rng where the noise comes from
     * @return the noise
     */
    static NDArray sample(NDManager manager, Shape shape, SmashedNoise noise, UniformRandomProvider rng) {
        ContinuousSampler exponential = ZigguratSampler.Exponential.of(rng);
        double scale = noise.scale();
        // Laplace(0, B) as B times the difference of two standard exponentials, as the other sample().
        ContinuousSampler sampler = noise.kind() == SmashedNoise.Kind.GAUSSIAN
                ? GaussianSampler.of(ZigguratSampler.NormalizedGaussian.of(rng), 0, scale)
                : () -> scale * (exponential.sample() - exponential.sample());
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) sampler.sample();
        }
        return manager.create(values, shape);
    }
}
