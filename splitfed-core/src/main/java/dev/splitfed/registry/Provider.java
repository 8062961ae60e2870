package dev.splitfed.registry;

/**
 * Something a {@link Registry} finds by name: a model, a data set, a partitioner or an
 * aggregation rule that can be selected on the command line or in a run's settings.
 *
 * <p>A name is lower-case letters, digits, {@code .}, {@code _} and {@code -}, starting with a
 * letter or a digit (for example {@code lenet5} or {@code multi-krum}); it holds no colon, since
 * a colon separates a partition's or an aggregation rule's name from its arguments
 * ({@code dirichlet:0.5}).
 */
public interface Provider {

    /**
     * Returns the name under which the registry finds this provider.
     *
     * @return the name, e.g. {@code lenet5}
     */
    String name();
}
