package dev.splitfed.aggregate;

import dev.splitfed.InvalidInputException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which rule combines a round's updates, as {@code --aggregator} names it: {@code fedavg} (the
 * default), {@code median}, {@code trimmed-mean:BETA}, {@code krum[:f=F]},
 * {@code multi-krum:M[,f=F]}, {@code bulyan[:f=F]} or {@code norm-bound:C}. Without an f, Krum,
 * Multi-Krum and Bulyan assume the most Byzantine updates each round tolerates.
 *
 * @param rule the rule
 * @param parameter BETA, M or C; 0 for the rules without one
 * @param f the Byzantine updates assumed, or null for the most each round tolerates
 */
public record AggregatorSpec(Rule rule, double parameter, Integer f) {

    /** The default: FedAvg. */
    public static final AggregatorSpec FEDAVG = new AggregatorSpec(Rule.FEDAVG, 0, null);

    private static final Pattern SPEC = Pattern.compile(
            "(fedavg|median|trimmed-mean|krum|multi-krum|bulyan|norm-bound)(?::(?:([^,=]+)(?:,f=([^,]+))?|f=([^,]+)))?");

    /** The rules. */
    public enum Rule {
        /** Sample-weighted mean (McMahan et al. 2017). */
        FEDAVG("fedavg"),
        /** Coordinate-wise median (Yin et al. 2018). */
        MEDIAN("median"),
        /** Coordinate-wise trimmed mean (Yin et al. 2018). */
        TRIMMED_MEAN("trimmed-mean"),
        /** Krum (Blanchard et al. 2017). */
        KRUM("krum"),
        /** Multi-Krum (Blanchard et al. 2017). */
        MULTI_KRUM("multi-krum"),
        /** Bulyan (El Mhamdi et al. 2018). */
        BULYAN("bulyan"),
        /** Norm bounding, then FedAvg (Sun et al. 2019). */
        NORM_BOUND("norm-bound");

        private final String id;

        Rule(String id) {
            this.id = id;
        }

        /** Returns the rule's name on the command line. */
        public String id() {
            return id;
        }
    }

    /**
     * Returns the rule named by {@code spec}.
     *
     * @param spec e.g. {@code median}, {@code trimmed-mean:0.2}, {@code krum:f=2},
     *     {@code multi-krum:5,f=2}, {@code bulyan}, {@code norm-bound:3}; case does not matter
     * @return the rule
     * @throws InvalidInputException if {@code spec} is none of these or a number is out of range
     */
    public static AggregatorSpec parse(String spec) {
        String trimmed = spec.strip();
        Matcher m = SPEC.matcher(trimmed.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new InvalidInputException("aggregator '" + trimmed + "' is not one of fedavg, median, trimmed-mean:BETA, "
                    + "krum[:f=F], multi-krum:M[,f=F], bulyan[:f=F], norm-bound:C");
        }
        Rule rule = switch (m.group(1)) {
            case "fedavg" -> Rule.FEDAVG;
            case "median" -> Rule.MEDIAN;
            case "trimmed-mean" -> Rule.TRIMMED_MEAN;
            case "krum" -> Rule.KRUM;
            case "multi-krum" -> Rule.MULTI_KRUM;
            case "bulyan" -> Rule.BULYAN;
            default -> Rule.NORM_BOUND;
        };
        String parameter = m.group(2);
        String f = m.group(3) != null ? m.group(3) : m.group(4);
        boolean takesParameter = rule == Rule.TRIMMED_MEAN || rule == Rule.MULTI_KRUM || rule == Rule.NORM_BOUND;
        boolean takesF = rule == Rule.KRUM || rule == Rule.MULTI_KRUM || rule == Rule.BULYAN;
        if (takesParameter != (parameter != null) || (f != null && !takesF)) {
            throw new InvalidInputException("aggregator '" + trimmed + "' does not fit " + usage(rule));
        }
        double value = 0;
        if (parameter != null) {
            value = number(parameter, trimmed);
            boolean ok = switch (rule) {
                case TRIMMED_MEAN -> value >= 0 && value < 0.5;
                case MULTI_KRUM -> value >= 1 && value == Math.rint(value) && value <= Integer.MAX_VALUE;
                default -> value > 0 && Double.isFinite(value);
            };
            if (!ok) {
                throw new InvalidInputException("aggregator '" + trimmed + "' needs " + switch (rule) {
                    case TRIMMED_MEAN -> "BETA in [0, 0.5), the fraction trimmed at each end";
                    case MULTI_KRUM -> "M a whole number >= 1, the updates averaged";
                    default -> "C a positive finite number, the largest L2 norm of an update";
                });
            }
        }
        Integer byzantine = null;
        if (f != null) {
            double count = number(f, trimmed);
            if (!(count >= 0 && count == Math.rint(count) && count <= 1_000_000)) {
                throw new InvalidInputException(
                        "aggregator '" + trimmed + "' needs f a whole number >= 0, the Byzantine updates assumed");
            }
            byzantine = (int) count;
        }
        return new AggregatorSpec(rule, value, byzantine);
    }

    private static double number(String text, String spec) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("aggregator '" + spec + "' holds '" + text + "', which is not a number", e);
        }
    }

    private static String usage(Rule rule) {
        return switch (rule) {
            case FEDAVG -> "fedavg, which takes no parameter";
            case MEDIAN -> "median, which takes no parameter";
            case TRIMMED_MEAN -> "trimmed-mean:BETA";
            case KRUM -> "krum[:f=F]";
            case MULTI_KRUM -> "multi-krum:M[,f=F]";
            case BULYAN -> "bulyan[:f=F]";
            case NORM_BOUND -> "norm-bound:C";
        };
    }

    /** Returns whether this is plain FedAvg. */
    public boolean isFedAvg() {
        return rule == Rule.FEDAVG;
    }

    /**
     * Returns the fewest updates a round needs for this rule as asked: {@code 2f + 3} for Krum and
     * Multi-Krum with an f, {@code 4f + 3} for Bulyan with one, 3 for them without, M for
     * Multi-Krum if more, 1 for the other rules.
     */
    public int minimumUpdates() {
        int need = switch (rule) {
            case KRUM, MULTI_KRUM -> ByzantineCount.needed(f == null ? 0 : f, Krum.PER_BYZANTINE);
            case BULYAN -> ByzantineCount.needed(f == null ? 0 : f, Bulyan.PER_BYZANTINE);
            default -> 1;
        };
        return rule == Rule.MULTI_KRUM ? Math.max(need, (int) parameter) : need;
    }

    /** Returns a new aggregator of this rule. */
    public Aggregator create() {
        return switch (rule) {
            case FEDAVG -> new FedAvg();
            case MEDIAN -> new Median();
            case TRIMMED_MEAN -> new TrimmedMean(parameter);
            case KRUM -> new Krum(1, f);
            case MULTI_KRUM -> new Krum((int) parameter, f);
            case BULYAN -> new Bulyan(f);
            case NORM_BOUND -> new NormBound(parameter);
        };
    }

    /**
     * Returns the canonical name, which {@link #parse} turns back into an equal spec.
     *
     * @return e.g. {@code trimmed-mean:0.2}, {@code multi-krum:5,f=2}, {@code bulyan}
     */
    public String spec() {
        String number = BigDecimal.valueOf(parameter).stripTrailingZeros().toPlainString();
        String out = switch (rule) {
            case TRIMMED_MEAN, MULTI_KRUM, NORM_BOUND -> rule.id() + ":" + number;
            default -> rule.id();
        };
        if (f != null) {
            out += (rule == Rule.MULTI_KRUM ? "," : ":") + "f=" + f;
        }
        return out;
    }
}
