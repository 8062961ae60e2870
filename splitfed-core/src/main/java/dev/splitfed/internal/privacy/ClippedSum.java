package dev.splitfed.internal.privacy;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * The sum of vectors each clipped to an L2 norm, released with Gaussian noise: the sampled Gaussian
 * mechanism at the heart of DP-SGD (Abadi et al. 2016, Algorithm 1: clip, add, noise) and of
 * DP-FedAvg (McMahan et al. 2018, Algorithm 1). Clipping bounds how much any one vector can move
 * the sum, so noise of standard deviation {@code noise * clip} hides it.
 */
public final class ClippedSum {

    private final double clip;
    private final double[] sum;
    private int count;

    /**
     * Creates an empty sum.
     *
     * @param size the vectors' length
     * @param clip the L2 norm each vector is clipped to, > 0
     */
    public ClippedSum(int size, double clip) {
        if (!(clip > 0)) {
            throw new IllegalArgumentException("clip must be > 0, got " + clip);
        }
        this.clip = clip;
        this.sum = new double[size];
    }

    /**
     * Adds {@code v * min(1, clip / ||v||)}.
     *
     * @param v the vector, left unchanged
     * @return the norm of {@code v} before clipping
     */
    public double add(float[] v) {
        if (v.length != sum.length) {
            throw new IllegalArgumentException("vector has " + v.length + " values, the sum " + sum.length);
        }
        double squares = 0;
        for (float x : v) {
            squares += (double) x * x;
        }
        double norm = Math.sqrt(squares);
        double scale = norm > clip ? clip / norm : 1;
        for (int i = 0; i < v.length; i++) {
            sum[i] += scale * v[i];
        }
        count++;
        return norm;
    }

    /** Returns how many vectors were added. */
    public int count() {
        return count;
    }

    /**
     * Returns {@code (sum + N(0, (noise * clip)^2 I)) / divisor}.
     *
     * @param noise the noise multiplier, {@code >= 0}
     * @param divisor what the noisy sum is divided by, > 0 (the expected number of vectors)
     * @param rng where the noise comes from
     * @return a new vector
     */
    public float[] release(double noise, double divisor, UniformRandomProvider rng) {
        ContinuousSampler gaussian = ZigguratSampler.NormalizedGaussian.of(rng);
        double std = noise * clip;
        float[] out = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            out[i] = (float) ((sum[i] + std * gaussian.sample()) / divisor);
        }
        return out;
    }
}
