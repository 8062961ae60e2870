package dev.splitfed.aggregate;

import dev.splitfed.internal.aggregate.Bulyan;
import dev.splitfed.internal.aggregate.ByzantineCount;
import dev.splitfed.internal.aggregate.FedAvg;
import dev.splitfed.internal.aggregate.Krum;
import dev.splitfed.internal.aggregate.Median;
import dev.splitfed.internal.aggregate.NormBound;
import dev.splitfed.internal.aggregate.TrimmedMean;
import dev.splitfed.InvalidInputException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the Byzantine-robust rules splitfed provides, with its parameter and its f.
 *
 * @param kind the rule
 * @param parameter BETA, M or C; 0 for the rules without one
 * @param f the Byzantine updates assumed, or null for the most each round tolerates
 */
record RobustRule(Kind kind, double parameter, Integer f) implements AggregatorSpec {

    /** The arguments after the colon: {@code P}, {@code P,f=F} or {@code f=F}. */
    private static final Pattern ARGUMENTS = Pattern.compile("([^,=]+)(?:,f=([^,]+))?|f=([^,]+)");

    /** The rules. */
    enum Kind {
        /** Coordinate-wise median (Yin et al. 2018). */
        MEDIAN("median", "median", false, false),
        /** Coordinate-wise trimmed mean (Yin et al. 2018). */
        TRIMMED_MEAN("trimmed-mean", "trimmed-mean:BETA", true, false),
        /** Krum (Blanchard et al. 2017). */
        KRUM("krum", "krum[:f=F]", false, true),
        /** Multi-Krum (Blanchard et al. 2017). */
        MULTI_KRUM("multi-krum", "multi-krum:M[,f=F]", true, true),
        /** Bulyan (El Mhamdi et al. 2018). */
        BULYAN("bulyan", "bulyan[:f=F]", false, true),
        /** Norm bounding, then FedAvg (Sun et al. 2019). */
        NORM_BOUND("norm-bound", "norm-bound:C", true, false);

        final String id;
        final String usage;
        final boolean takesParameter;
        final boolean takesF;

        Kind(String id, String usage, boolean takesParameter, boolean takesF) {
            this.id = id;
            this.usage = usage;
            this.takesParameter = takesParameter;
            this.takesF = takesF;
        }
    }

    /**
     * Returns the rule that a kind's arguments describe.
     *
     * @param kind the rule
     * @param arguments the text after the spec's colon, e.g. {@code 5,f=2}; null when there is none
     * @return the rule
     * @throws InvalidInputException if the arguments do not fit the rule or a number is out of range
     */
    static RobustRule parse(Kind kind, String arguments) {
        String given = arguments == null ? kind.id : kind.id + ":" + arguments;
        String parameter = null;
        String f = null;
        if (arguments != null) {
            Matcher m = ARGUMENTS.matcher(arguments.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw doesNotFit(given, kind);
            }
            parameter = m.group(1);
            f = m.group(2) != null ? m.group(2) : m.group(3);
        }
        if (kind.takesParameter != (parameter != null) || (f != null && !kind.takesF)) {
            throw doesNotFit(given, kind);
        }
        double value = 0;
        if (parameter != null) {
            value = number(parameter, given);
            boolean ok = switch (kind) {
                case TRIMMED_MEAN -> value >= 0 && value < 0.5;
                case MULTI_KRUM -> value >= 1 && value == Math.rint(value) && value <= Integer.MAX_VALUE;
                default -> value > 0 && Double.isFinite(value);
            };
            if (!ok) {
                throw new InvalidInputException("aggregator '" + given + "' needs " + switch (kind) {
                    case TRIMMED_MEAN -> "BETA in [0, 0.5), the fraction trimmed at each end";
                    case MULTI_KRUM -> "M a whole number >= 1, the updates averaged";
                    default -> "C a positive finite number, the largest L2 norm of an update";
                });
            }
        }
        Integer byzantine = null;
        if (f != null) {
            double count = number(f, given);
            if (!(count >= 0 && count == Math.rint(count) && count <= 1_000_000)) {
                throw new InvalidInputException(
                        "aggregator '" + given + "' needs f a whole number >= 0, the Byzantine updates assumed");
            }
            byzantine = (int) count;
        }
        return new RobustRule(kind, value, byzantine);
    }

    /**
     * Returns the refusal of arguments that do not fit a rule without any, such as {@code median:1}.
     *
     * @param given the spec as given
     * @param rule the rule's name
     * @return the exception to throw
     */
    static InvalidInputException takesNoParameter(String given, String rule) {
        return new InvalidInputException(
                "aggregator '" + given + "' does not fit " + rule + ", which takes no parameter");
    }

    private static InvalidInputException doesNotFit(String given, Kind kind) {
        if (!kind.takesParameter && !kind.takesF) {
            return takesNoParameter(given, kind.id);
        }
        return new InvalidInputException("aggregator '" + given + "' does not fit " + kind.usage);
    }

    private static double number(String text, String given) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(
                    "aggregator '" + given + "' holds '" + text + "', which is not a number", e);
        }
    }

    /**
     * Returns the fewest updates a round needs for this rule as asked: {@code 2f + 3} for Krum and
     * Multi-Krum with an f, {@code 4f + 3} for Bulyan with one, 3 for them without, M for
     * Multi-Krum if more, 1 for the other rules.
     *
     * @return the fewest updates
     */
    @Override
    public int minimumUpdates() {
        int need = switch (kind) {
            case KRUM, MULTI_KRUM -> ByzantineCount.needed(f == null ? 0 : f, Krum.PER_BYZANTINE);
            case BULYAN -> ByzantineCount.needed(f == null ? 0 : f, Bulyan.PER_BYZANTINE);
            default -> 1;
        };
        return kind == Kind.MULTI_KRUM ? Math.max(need, (int) parameter) : need;
    }

    @Override
    public Aggregator create() {
        return switch (kind) {
            case MEDIAN -> new Median();
            case TRIMMED_MEAN -> new TrimmedMean(parameter);
            case KRUM -> new Krum(1, f);
            case MULTI_KRUM -> new Krum((int) parameter, f);
            case BULYAN -> new Bulyan(f);
            case NORM_BOUND -> new NormBound(parameter);
        };
    }

    @Override
    public String spec() {
        String out = kind.takesParameter
                ? kind.id + ":" + BigDecimal.valueOf(parameter).stripTrailingZeros().toPlainString() : kind.id;
        if (f != null) {
            out += (kind == Kind.MULTI_KRUM ? "," : ":") + "f=" + f;
        }
        return out;
    }

    @Override
    public String toString() {
        return spec();
    }
}
