package dev.splitfed.data;

import dev.splitfed.InvalidInputException;
import java.util.stream.IntStream;

/**
 * A partitioner defined outside splitfed's sources, found through
 * {@code plugins/extensions/META-INF/services}: runs of N consecutive samples go to the clients in
 * turn, sample {@code i} to client {@code (i / N) mod K}.
 *
 * @param stripe N, the run length
 */
public record StripePartitioner(int stripe) implements Partitioner {

    @Override
    public int[][] partition(int[] labels, int numClasses, int clients, long seed) {
        return IntStream.range(0, clients)
                .mapToObj(k -> IntStream.range(0, labels.length).filter(i -> (i / stripe) % clients == k).toArray())
                .toArray(int[][]::new);
    }

    @Override
    public String spec() {
        return "stripes:" + stripe;
    }

    /** Provides {@code stripes:N}. */
    public static final class Provider implements PartitionerProvider {

        @Override
        public String name() {
            return "stripes";
        }

        @Override
        public String usage() {
            return "stripes:N";
        }

        @Override
        public Partitioner create(String arguments) {
            if (arguments == null || !arguments.matches("[1-9][0-9]{0,5}")) {
                throw new InvalidInputException("stripes:N needs a whole number N >= 1, not '" + arguments + "'.");
            }
            return new StripePartitioner(Integer.parseInt(arguments));
        }
    }
}
