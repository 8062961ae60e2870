package dev.splitfed.aggregate;

import dev.splitfed.InvalidInputException;
import dev.splitfed.registry.Provider;
import dev.splitfed.registry.Registry;

/**
 * Makes an {@link AggregatorSpec} from an aggregator spec, {@code NAME} or
 * {@code NAME:ARGUMENTS}: the provider is found by the name before the first colon (in lower
 * case) and given the text after it.
 *
 * <p>A jar adds an aggregation rule by implementing this interface (with a public no-argument
 * constructor) and naming the class in
 * {@code META-INF/services/dev.splitfed.aggregate.AggregatorProvider}; see {@link Registry}.
 */
public interface AggregatorProvider extends Provider {

    /**
     * Returns the registry of aggregation rules: the built-in ones, then those
     * {@link java.util.ServiceLoader} finds, then those registered.
     *
     * @return the registry
     */
    static Registry<AggregatorProvider> registry() {
        return BuiltInRules.REGISTRY;
    }

    /**
     * Returns how a spec for this rule is written, for messages that list the choices.
     *
     * @return e.g. {@code multi-krum:M[,f=F]}; the name unless the provider says otherwise
     */
    default String usage() {
        return name();
    }

    /**
     * Creates the rule a spec names. Its {@link AggregatorSpec#spec()} must give a spec that
     * {@link AggregatorSpec#parse} turns back into an equal rule.
     *
     * @param arguments the text after the spec's first colon, e.g. {@code 5,f=2} for
     *     {@code multi-krum:5,f=2}; null when the spec has no colon
     * @return the rule
     * @throws InvalidInputException if the arguments do not fit this rule
     */
    AggregatorSpec create(String arguments);
}
