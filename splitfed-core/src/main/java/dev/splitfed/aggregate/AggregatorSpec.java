package dev.splitfed.aggregate;

import dev.splitfed.internal.aggregate.Bulyan;
import dev.splitfed.internal.aggregate.FedAvg;
import dev.splitfed.internal.aggregate.Krum;
import dev.splitfed.InvalidInputException;
import java.util.Locale;

/**
 * An aggregation rule as a run's settings hold it: it names itself, says how many updates a round
 * needs, and creates the {@link Aggregator} each server applies to a round's updates.
 *
 * <p>splitfed provides {@code fedavg} (the default), {@code median}, {@code trimmed-mean:BETA},
 * {@code krum[:f=F]}, {@code multi-krum:M[,f=F]}, {@code bulyan[:f=F]} and {@code norm-bound:C};
 * without an f, Krum, Multi-Krum and Bulyan assume the most Byzantine updates each round tolerates.
 * A rule of one's own implements this interface and is either passed to a run as an object or
 * selected by name through an {@link AggregatorProvider}.
 */
public interface AggregatorSpec {

    /** The default: FedAvg, the sample-weighted mean (McMahan et al. 2017). */
    AggregatorSpec FEDAVG = new AggregatorSpec() {
        @Override
        public String spec() {
            return "fedavg";
        }

        @Override
        public boolean isFedAvg() {
            return true;
        }

        @Override
        public Aggregator create() {
            return new FedAvg();
        }

        @Override
        public String toString() {
            return spec();
        }
    };

    /**
     * Returns the rule a spec names: the name before the first colon picks an
     * {@link AggregatorProvider}, which reads the arguments after it.
     *
     * @param spec e.g. {@code median}, {@code trimmed-mean:0.2}, {@code krum:f=2},
     *     {@code multi-krum:5,f=2}, {@code bulyan}, {@code norm-bound:3}; the name's case does not
     *     matter, nor do spaces around the spec
     * @return the rule
     * @throws InvalidInputException if no rule has the name, or the arguments do not fit it
     */
    static AggregatorSpec parse(String spec) {
        String trimmed = spec.strip();
        int colon = trimmed.indexOf(':');
        String lowerName = colon < 0 ? trimmed.toLowerCase(Locale.ROOT)
                : trimmed.substring(0, colon).toLowerCase(Locale.ROOT) + trimmed.substring(colon);
        return AggregatorProvider.registry().parse(lowerName, AggregatorProvider::create);
    }

    /**
     * Returns the rule's canonical spec, which {@link #parse} turns back into an equal rule.
     *
     * @return e.g. {@code trimmed-mean:0.2}, {@code multi-krum:5,f=2}, {@code bulyan}
     */
    String spec();

    /**
     * Returns a new aggregator of this rule, for one server; a run creates one per server that
     * aggregates, so an aggregator may keep state from round to round.
     *
     * @return the aggregator
     */
    Aggregator create();

    /**
     * Returns whether this is {@link #FEDAVG}, the plain sample-weighted mean, which secure
     * aggregation, DP-FedAvg and SCAFFOLD build on; no other rule may return true.
     *
     * @return true only for {@link #FEDAVG}
     */
    default boolean isFedAvg() {
        return false;
    }

    /**
     * Returns the fewest updates a round needs for this rule; a run whose rounds have fewer is
     * refused.
     *
     * @return 1 unless the rule says otherwise
     */
    default int minimumUpdates() {
        return 1;
    }
}
