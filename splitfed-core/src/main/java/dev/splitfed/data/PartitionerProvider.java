package dev.splitfed.data;

import dev.splitfed.InvalidInputException;
import dev.splitfed.registry.Provider;
import dev.splitfed.registry.Registry;

/**
 * Makes a {@link Partitioner} from a partition spec, {@code NAME} or {@code NAME:ARGUMENTS}: the
 * provider is found by the name before the first colon and given the text after it.
 *
 * <p>splitfed provides {@code iid}, {@code dirichlet:ALPHA}, {@code shards:N} and
 * {@code natural}. A jar adds a partitioner by implementing this interface (with a public
 * no-argument constructor) and naming the class in
 * {@code META-INF/services/dev.splitfed.data.PartitionerProvider}; see {@link Registry}.
 */
public interface PartitionerProvider extends Provider {

    /**
     * Returns the registry of partitioners: the built-in ones, then those
     * {@link java.util.ServiceLoader} finds, then those registered.
     *
     * @return the registry
     */
    static Registry<PartitionerProvider> registry() {
        return BuiltInPartitioners.REGISTRY;
    }

    /**
     * Returns how a spec for this partitioner is written, for messages that list the choices.
     *
     * @return e.g. {@code dirichlet:ALPHA (ALPHA > 0, e.g. dirichlet:0.5)}; the name unless the
     *     provider says otherwise
     */
    default String usage() {
        return name();
    }

    /**
     * Creates the partitioner a spec names. Its {@link Partitioner#spec()} must give a spec that
     * {@link Partitioner#parse} turns back into an equal partitioner.
     *
     * @param arguments the text after the spec's first colon, e.g. {@code 0.5} for
     *     {@code dirichlet:0.5}; null when the spec has no colon
     * @return a new partitioner
     * @throws InvalidInputException if the arguments do not fit this partitioner
     */
    Partitioner create(String arguments);
}
