package dev.splitfed.privacy;

import dev.splitfed.internal.privacy.SpecFields;
import dev.splitfed.InvalidInputException;
import java.util.Set;

/**
 * User-level differentially private FedAvg at the fed server (McMahan, Ramage, Talwar and Zhang
 * 2018, "Learning Differentially Private Recurrent Language Models"): each client's update (its
 * weights minus the round's global weights) is clipped to L2 norm {@code clip}, the clipped
 * updates are summed, Gaussian noise is added, and the sum is divided by the expected number of
 * clients per round. With a {@code quantile} the clipping norm adapts each round towards that
 * quantile of the update norms (Andrew, Thakkar, McMahan and Ramaswamy 2021, "Differentially
 * Private Learning with Adaptive Clipping"), starting from {@code clip}.
 *
 * @param noise the noise multiplier z of the whole mechanism, > 0
 * @param clip the clipping norm S (the starting norm when adaptive), > 0
 * @param quantile the target quantile gamma of the update norms in (0, 1), or NaN for a fixed norm
 * @param clipLearningRate eta_C, the geometric step of the adaptive norm, > 0
 * @param countNoise sigma_b, the noise on the count of unclipped updates, or NaN for the
 *     expected number of clients over 20 (the paper's choice)
 */
public record DpFedAvgConfig(double noise, double clip, double quantile, double clipLearningRate, double countNoise) {

    /** Checks the values. */
    public DpFedAvgConfig {
        if (!(noise > 0 && Double.isFinite(noise)) || !(clip > 0 && Double.isFinite(clip))) {
            throw new InvalidInputException(
                    "DP-FedAvg needs a positive noise and a positive clip, got noise " + noise + ", clip " + clip);
        }
        if (!Double.isNaN(quantile) && !(quantile > 0 && quantile < 1)) {
            throw new InvalidInputException("{dp-fedavg} quantile must be in (0, 1), got " + quantile);
        }
        if (!(clipLearningRate > 0 && Double.isFinite(clipLearningRate))) {
            throw new InvalidInputException("{dp-fedavg} clip-lr must be a positive number, got " + clipLearningRate);
        }
        if (!Double.isNaN(countNoise) && !(countNoise > 0 && Double.isFinite(countNoise))) {
            throw new InvalidInputException("{dp-fedavg} count-noise must be a positive number, got " + countNoise);
        }
    }

    /**
     * Reads {@code noise=Z,clip=S[,quantile=GAMMA[,clip-lr=ETA][,count-noise=SIGMA_B]]}.
     *
     * @param spec the spec
     * @return the configuration
     * @throws InvalidInputException naming what is wrong
     */
    public static DpFedAvgConfig parse(String spec) {
        SpecFields f = SpecFields.parse("{dp-fedavg}", spec, Set.of("noise", "clip", "quantile", "clip-lr", "count-noise"));
        boolean adaptive = f.has("quantile");
        if (!adaptive && (f.has("clip-lr") || f.has("count-noise"))) {
            throw new InvalidInputException("{dp-fedavg} clip-lr and count-noise apply only with quantile=GAMMA (adaptive clipping)");
        }
        double quantile = adaptive ? f.positive("quantile") : Double.NaN;
        return new DpFedAvgConfig(f.positive("noise"), f.positive("clip"), quantile, f.positive("clip-lr", 0.2),
                f.positive("count-noise", Double.NaN));
    }

    /** Returns whether the clipping norm adapts. */
    public boolean adaptive() {
        return !Double.isNaN(quantile);
    }

    /**
     * Returns the noise multiplier left for the update sum once the count of unclipped updates
     * has its share: {@code z_delta = (z^-2 - (2 sigma_b)^-2)^(-1/2)} (Andrew et al. 2021, Theorem 1),
     * so that the two releases together are as private as one Gaussian mechanism with {@code z}.
     *
     * @param expectedClients the expected number of clients per round
     * @return z itself for a fixed norm
     * @throws InvalidInputException if the count noise leaves no budget for the updates
     */
    public double updateNoise(double expectedClients) {
        if (!adaptive()) {
            return noise;
        }
        double sigmaB = countNoise(expectedClients);
        double rest = 1 / (noise * noise) - 1 / (4 * sigmaB * sigmaB);
        if (!(rest > 0)) {
            throw new InvalidInputException(
                    "{dp-fedavg} count-noise " + sigmaB + " is too small for noise " + noise
                            + ": adaptive clipping needs count-noise > noise / 2");
        }
        return 1 / Math.sqrt(rest);
    }

    /** Returns sigma_b for the given expected number of clients per round. */
    public double countNoise(double expectedClients) {
        return Double.isNaN(countNoise) ? expectedClients / 20 : countNoise;
    }

    /** Returns the spec that {@link #parse} reads back into an equal configuration. */
    public String spec() {
        String s = "noise=" + noise + ",clip=" + clip;
        if (adaptive()) {
            s += ",quantile=" + quantile + ",clip-lr=" + clipLearningRate;
            if (!Double.isNaN(countNoise)) {
                s += ",count-noise=" + countNoise;
            }
        }
        return s;
    }
}
