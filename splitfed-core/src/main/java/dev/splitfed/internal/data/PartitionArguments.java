package dev.splitfed.internal.data;

import dev.splitfed.data.Partitioner;
import dev.splitfed.InvalidInputException;

/** Checks the arguments every {@link Partitioner} receives. */
public final class PartitionArguments {

    private PartitionArguments() {}

    /**
     * Checks that {@code clients} clients can each get a sample and that every label is a class.
     *
     * @param labels one label per training sample
     * @param numClasses the number of classes
     * @param clients the number of clients
     * @throws InvalidInputException if {@code clients} is below 1 or above the number of samples
     * @throws IllegalArgumentException if a label is outside {@code [0, numClasses)}
     */
    static void check(int[] labels, int numClasses, int clients) {
        if (clients < 1) {
            throw new InvalidInputException("the number of clients must be at least 1, not " + clients + ".");
        }
        if (clients > labels.length) {
            throw new InvalidInputException(
                    clients + " clients need at least " + clients + " training samples, but only "
                            + labels.length + " are available.");
        }
        for (int label : labels) {
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException("label " + label + " is outside [0, " + numClasses + ")");
            }
        }
    }

    /**
     * Returns the {@code parts + 1} cut positions that divide {@code n} items into {@code parts}
     * consecutive runs whose lengths differ by at most one.
     *
     * @param n the number of items
     * @param parts the number of runs, {@code >= 1}
     * @return cut positions, starting at 0 and ending at {@code n}
     */
    static int[] evenCuts(int n, int parts) {
        int[] cuts = new int[parts + 1];
        for (int k = 0; k <= parts; k++) {
            cuts[k] = (int) ((long) k * n / parts);
        }
        return cuts;
    }
}
