package dev.splitfed.examples;

import dev.splitfed.InvalidInputException;
import dev.splitfed.aggregate.AggregatorProvider;
import dev.splitfed.aggregate.AggregatorSpec;

/**
 * Makes {@link MedianOfMeans} selectable by name: {@code --aggregator median-of-means:G} on the
 * command line, {@code aggregator: median-of-means:G} in a config file.
 *
 * <p>{@link java.util.ServiceLoader} finds this class because
 * {@code META-INF/services/dev.splitfed.aggregate.AggregatorProvider} in this module names it;
 * any jar on the class path adds rules the same way.
 */
public final class MedianOfMeansProvider implements AggregatorProvider {

    /** The rule's name. */
    public static final String NAME = "median-of-means";

    /** Creates the provider; {@link java.util.ServiceLoader} needs a public no-argument constructor. */
    public MedianOfMeansProvider() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String usage() {
        return NAME + ":G";
    }

    /**
     * Returns the rule with G groups.
     *
     * @param arguments G, a whole number {@code >= 1}
     * @return the rule
     * @throws InvalidInputException if G is missing or not a whole number {@code >= 1}
     */
    @Override
    public AggregatorSpec create(String arguments) {
        if (arguments == null) {
            throw new InvalidInputException(NAME + ":G needs a whole number of groups G >= 1 after the colon, e.g. "
                    + NAME + ":3");
        }
        int groups;
        try {
            groups = Integer.parseInt(arguments.strip());
        } catch (NumberFormatException e) {
            throw notGroups(arguments, e);
        }
        if (groups < 1) {
            throw notGroups(arguments, null);
        }
        return new MedianOfMeans(groups);
    }

    private static InvalidInputException notGroups(String arguments, NumberFormatException cause) {
        return new InvalidInputException(
                NAME + ":G needs a whole number of groups G >= 1, not '" + arguments + "'", cause);
    }
}
