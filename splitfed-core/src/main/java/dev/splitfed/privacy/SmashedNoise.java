package dev.splitfed.privacy;

import dev.splitfed.internal.privacy.RdpAccountant;
import dev.splitfed.InvalidInputException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * Noise added to every sample's smashed data at the cut, after scaling the sample's activations
 * into the unit ball (PixelDP's noise layer; Lecuyer et al. 2019, "Certified Robustness to
 * Adversarial Examples with Differential Privacy").
 *
 * <p>{@code laplace:B} clips each sample's activations to L1 norm at most 1 and adds Laplace(0, B)
 * to every value; {@code gaussian:SIGMA} clips to L2 norm at most 1 and adds N(0, SIGMA^2) (the
 * layer measures norms in a fixed unit and scales its output back, which changes no guarantee). Two
 * samples' clipped activations then differ by at most {@link #SENSITIVITY} in that norm, which
 * bounds what one release of smashed data says about the sample it came from: see
 * {@link #epsilon(long, double)}.
 *
 * @param kind the distribution, or {@link Kind#NONE}
 * @param scale B for Laplace, SIGMA for Gaussian; 0 for none
 */
public record SmashedNoise(Kind kind, double scale) {

    /** No noise: the smashed data go out as the client-side layers compute them. */
    public static final SmashedNoise NONE = new SmashedNoise(Kind.NONE, 0);

    /**
     * The sensitivity of the clipped activations: two vectors of norm at most 1 are at most 2 apart
     * in that norm (triangle inequality), whichever two samples they come from.
     */
    public static final double SENSITIVITY = 2;

    /** The noise distribution. */
    public enum Kind {
        /** No noise layer. */
        NONE,
        /** L1 clipping, Laplace(0, B) per value. */
        LAPLACE,
        /** L2 clipping, N(0, SIGMA^2) per value. */
        GAUSSIAN
    }

    /** Checks the scale against the kind. */
    public SmashedNoise {
        if (kind == null) {
            throw new IllegalArgumentException("kind must be set");
        }
        if (kind == Kind.NONE ? scale != 0 : !(scale > 0 && Double.isFinite(scale))) {
            throw new IllegalArgumentException("scale " + scale + " does not fit noise kind " + kind);
        }
    }

    /**
     * Returns the noise named by {@code spec}.
     *
     * @param spec {@code none}, {@code laplace:B} or {@code gaussian:SIGMA} with a positive finite
     *     number (such as {@code 0.05} or {@code 1e-3}); case does not matter
     * @return the noise
     * @throws InvalidInputException if {@code spec} is none of these
     */
    public static SmashedNoise parse(String spec) {
        String trimmed = spec.strip();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (lower.equals("none")) {
            return NONE;
        }
        int colon = lower.indexOf(':');
        Kind kind = colon < 0 ? null : switch (lower.substring(0, colon)) {
            case "laplace" -> Kind.LAPLACE;
            case "gaussian" -> Kind.GAUSSIAN;
            default -> null;
        };
        double scale = Double.NaN;
        if (kind != null) {
            try {
                scale = Double.parseDouble(lower.substring(colon + 1));
            } catch (NumberFormatException e) {
                scale = Double.NaN;
            }
        }
        if (kind == null || !(scale > 0 && Double.isFinite(scale))) {
            throw new InvalidInputException("smashed-noise '" + trimmed
                    + "' is not one of none, laplace:B, gaussian:SIGMA with B or SIGMA a positive finite number");
        }
        return new SmashedNoise(kind, scale);
    }

    /** Returns whether a noise layer is added at all. */
    public boolean enabled() {
        return kind != Kind.NONE;
    }

    /**
     * Returns the canonical name, which {@link #parse} turns back into an equal noise.
     *
     * @return {@code none}, {@code laplace:B} or {@code gaussian:SIGMA}, the number in plain decimal
     *     without trailing zeros (e.g. {@code laplace:0.0005}, {@code gaussian:10})
     */
    public String spec() {
        return switch (kind) {
            case NONE -> "none";
            case LAPLACE -> "laplace:" + BigDecimal.valueOf(scale).stripTrailingZeros().toPlainString();
            case GAUSSIAN -> "gaussian:" + BigDecimal.valueOf(scale).stripTrailingZeros().toPlainString();
        };
    }

    /**
     * Returns the epsilon of {@code releases} releases of one sample's noisy smashed data, with
     * respect to replacing that sample by any other.
     *
     * <p>Laplace: one release is (2/B, 0)-DP (the Laplace mechanism, Dwork and Roth 2014, Theorem
     * 3.6, with L1 sensitivity 2); releases add up (basic composition), so {@code releases * 2/B},
     * and {@code delta} is not used. Gaussian: the Rényi DP of the Gaussian mechanism,
     * {@code alpha * 2^2 / (2 SIGMA^2)} per release (Mironov 2017), summed over releases and
     * converted to (epsilon, delta) by {@link RdpAccountant} (sampling rate 1, noise multiplier
     * SIGMA / 2). For one release, {@link #classicGaussianEpsilon(double)} gives the textbook bound.
     *
     * @param releases how many times the sample's smashed data go out, {@code >= 1}
     * @param delta the Gaussian's probability of failure, in (0, 1)
     * @return epsilon; infinity without noise
     */
    public double epsilon(long releases, double delta) {
        if (releases < 1) {
            throw new IllegalArgumentException("releases must be >= 1, got " + releases);
        }
        return switch (kind) {
            case NONE -> Double.POSITIVE_INFINITY;
            case LAPLACE -> releases * SENSITIVITY / scale;
            case GAUSSIAN -> {
                RdpAccountant accountant = new RdpAccountant(1, scale / SENSITIVITY);
                accountant.step(releases);
                yield accountant.epsilon(delta, RdpAccountant.Conversion.CLASSIC);
            }
        };
    }

    /**
     * Returns the epsilon of one release under the classic Gaussian mechanism: {@code SIGMA >=
     * sqrt(2 ln(1.25/delta)) * sensitivity / epsilon} gives (epsilon, delta)-DP for {@code epsilon < 1}
     * (Dwork and Roth 2014, Theorem A.1), so epsilon = {@code sqrt(2 ln(1.25/delta)) * 2 / SIGMA}.
     *
     * @param delta the probability of failure, in (0, 1)
     * @return epsilon, or NaN when the bound does not hold (it would be 1 or more)
     */
    public double classicGaussianEpsilon(double delta) {
        if (kind != Kind.GAUSSIAN) {
            throw new IllegalStateException("the classic Gaussian bound is for gaussian noise, not " + spec());
        }
        if (!(delta > 0 && delta < 1)) {
            throw new InvalidInputException("delta must be in (0, 1), got " + delta);
        }
        double epsilon = Math.sqrt(2 * Math.log(1.25 / delta)) * SENSITIVITY / scale;
        return epsilon < 1 ? epsilon : Double.NaN;
    }

    /**
     * Returns one line for the terminal that states what the noise guarantees.
     *
     * @param releases how many times each training sample's smashed data go out in the run
     * @param delta the Gaussian's probability of failure
     * @return e.g. {@code smashed-noise laplace:0.5 (L1 <= 1): each release is 4-DP; ...}
     */
    public String describe(long releases, double delta) {
        return switch (kind) {
            case NONE -> "no noise at the cut";
            case LAPLACE -> String.format(Locale.ROOT,
                    "smashed-noise %s (each sample clipped to L1 <= 1, sensitivity 2): each release of a sample's smashed "
                            + "data is %s-DP; %d releases per training sample in this run: %s-DP (basic composition)",
                    spec(), number(epsilon(1, delta)), releases, number(epsilon(releases, delta)));
            case GAUSSIAN -> {
                double classic = classicGaussianEpsilon(delta);
                yield String.format(Locale.ROOT,
                        "smashed-noise %s (each sample clipped to L2 <= 1, sensitivity 2): each release of a sample's smashed "
                                + "data is (%s, %s)-DP%s; %d releases per training sample in this run: (%s, %s)-DP (RDP)",
                        spec(), number(epsilon(1, delta)), number(delta),
                        Double.isNaN(classic) ? "" : " (classic bound: " + number(classic) + ")",
                        releases, number(epsilon(releases, delta)), number(delta));
            }
        };
    }

    /** Returns {@code x} to four significant digits without trailing zeros or an exponent, e.g. 4, 0.4845, 120. */
    private static String number(double x) {
        return new BigDecimal(x).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
