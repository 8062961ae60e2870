package dev.splitfed.aggregate;

import dev.splitfed.InvalidInputException;
import java.util.List;

/**
 * An aggregation rule defined outside splitfed's sources, found through
 * {@code plugins/extensions/META-INF/services}: S times the plain sum of the updates, for rounds
 * of at least two.
 *
 * @param scale S
 */
public record ScaledSum(double scale) implements AggregatorSpec {

    @Override
    public String spec() {
        return "scaled-sum:" + scale;
    }

    @Override
    public Aggregator create() {
        return (List<ClientUpdate> updates) -> {
            float[] out = new float[updates.get(0).delta().length];
            for (ClientUpdate u : updates) {
                for (int i = 0; i < out.length; i++) {
                    out[i] += (float) (scale * u.delta()[i]);
                }
            }
            return out;
        };
    }

    @Override
    public int minimumUpdates() {
        return 2;
    }

    /** Provides {@code scaled-sum:S}. */
    public static final class Provider implements AggregatorProvider {

        @Override
        public String name() {
            return "scaled-sum";
        }

        @Override
        public String usage() {
            return "scaled-sum:S";
        }

        @Override
        public AggregatorSpec create(String arguments) {
            if (arguments == null) {
                throw new InvalidInputException("scaled-sum:S needs a number S after the colon.");
            }
            try {
                return new ScaledSum(Double.parseDouble(arguments));
            } catch (NumberFormatException e) {
                throw new InvalidInputException("scaled-sum:S needs a number S, not '" + arguments + "'.", e);
            }
        }
    }
}
