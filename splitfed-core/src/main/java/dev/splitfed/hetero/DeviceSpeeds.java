package dev.splitfed.hetero;

import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.random.Seeds;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * How much slower than a reference device each simulated client computes: {@code uniform} (all 1)
 * or {@code lognormal:SIGMA}, a slowdown {@code s_k = exp(SIGMA Z_k)} with independent standard
 * normal Z_k, i.e. LogNormal(0, SIGMA), drawn once per client from the run seed. The median device
 * is the reference; half are faster.
 *
 * @param sigma the log-scale standard deviation, 0 for uniform speeds
 */
public record DeviceSpeeds(double sigma) {

    /** All devices equally fast. */
    public static final DeviceSpeeds UNIFORM = new DeviceSpeeds(0);

    /** Checks sigma. */
    public DeviceSpeeds {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new InvalidInputException("the speeds' sigma must be a finite number >= 0, got " + sigma);
        }
    }

    /**
     * Parses {@code uniform} or {@code lognormal:SIGMA}.
     *
     * @param spec the text
     * @return the speeds
     * @throws InvalidInputException if the text is neither
     */
    public static DeviceSpeeds parse(String spec) {
        String s = spec.strip().toLowerCase(Locale.ROOT);
        if (s.equals("uniform")) {
            return UNIFORM;
        }
        if (s.startsWith("lognormal:")) {
            try {
                return new DeviceSpeeds(Double.parseDouble(s.substring("lognormal:".length())));
            } catch (NumberFormatException e) {
                // reported below with the expected form
            }
        }
        throw new InvalidInputException(
                "speeds '" + spec + "' is not understood; expected uniform or lognormal:SIGMA, e.g. lognormal:1");
    }

    /** Returns the spec this was parsed from. */
    public String spec() {
        return sigma == 0 ? "uniform" : "lognormal:" + sigma;
    }

    /**
     * Returns each client's slowdown: the seconds it takes for work a reference device does in one.
     *
     * @param clients how many clients
     * @param seed the run seed
     * @return one slowdown per client, all {@code > 0}
     */
    public double[] draw(int clients, long seed) {
        double[] out = new double[clients];
        UniformRandomProvider rng = Seeds.rng(seed, "speeds");
        ZigguratSampler.NormalizedGaussian gauss = ZigguratSampler.NormalizedGaussian.of(rng);
        for (int k = 0; k < clients; k++) {
            // Draw even for sigma 0, so that the same seed gives the same stream whatever sigma is.
            out[k] = Math.exp(sigma * gauss.sample());
        }
        return out;
    }
}
