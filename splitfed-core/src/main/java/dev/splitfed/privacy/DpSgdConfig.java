package dev.splitfed.privacy;

import dev.splitfed.internal.privacy.SpecFields;
import dev.splitfed.InvalidInputException;
import java.util.Locale;
import java.util.Set;

/**
 * Sample-level differentially private SGD on each client (Abadi et al. 2016, "Deep Learning with
 * Differential Privacy"): every sample's gradient is clipped to L2 norm {@code clip}, the clipped
 * gradients of a batch are summed, Gaussian noise of standard deviation {@code noise * clip} is
 * added, and the sum is divided by the expected batch size.
 *
 * @param noise the noise multiplier sigma, > 0
 * @param clip the per-sample clipping norm C, > 0
 * @param sampling how batches are drawn
 */
public record DpSgdConfig(double noise, double clip, Sampling sampling) {

    /** How a client draws its batches under DP-SGD. */
    public enum Sampling {
        /**
         * Each step takes every sample independently with probability q = batch / samples, the
         * sampling the accountant's analysis assumes (Mironov, Talwar and Zhang 2019). Batch sizes vary.
         */
        POISSON,
        /**
         * Fixed-size batches from a shuffle, as most implementations train. The accountant still
         * reports the Poisson bound, which is then an approximation, not a guarantee.
         */
        SHUFFLE
    }

    /** Checks the values. */
    public DpSgdConfig {
        if (!(noise > 0 && Double.isFinite(noise)) || !(clip > 0 && Double.isFinite(clip)) || sampling == null) {
            throw new InvalidInputException(
                    "DP-SGD needs a positive noise, a positive clip and a sampling, got noise " + noise + ", clip " + clip);
        }
    }

    /**
     * Reads {@code noise=SIGMA,clip=C[,sampling=poisson|shuffle]}.
     *
     * @param spec the spec
     * @return the configuration
     * @throws InvalidInputException naming what is wrong
     */
    public static DpSgdConfig parse(String spec) {
        SpecFields f = SpecFields.parse("{dp-sgd}", spec, Set.of("noise", "clip", "sampling"));
        String sampling = f.text("sampling", "poisson").toLowerCase(Locale.ROOT);
        if (!sampling.equals("poisson") && !sampling.equals("shuffle")) {
            throw new InvalidInputException("{dp-sgd} sampling must be poisson or shuffle, got '" + sampling + "'");
        }
        return new DpSgdConfig(f.positive("noise"), f.positive("clip"),
                sampling.equals("poisson") ? Sampling.POISSON : Sampling.SHUFFLE);
    }

    /** Returns the spec that {@link #parse} reads back into an equal configuration. */
    public String spec() {
        return "noise=" + noise + ",clip=" + clip + ",sampling=" + sampling.name().toLowerCase(Locale.ROOT);
    }
}
