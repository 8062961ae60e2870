package dev.splitfed.data;

import dev.splitfed.InvalidInputException;
import java.util.Objects;

/**
 * Divides a training set among clients: which sample indices each client holds.
 *
 * <p>Every implementation is deterministic given its seed, gives every sample to exactly one
 * client, gives every client at least one sample, and lists each client's indices in ascending
 * order (clients shuffle their own batches). Partitions are written as short specs on the command
 * line and in run records; {@link #parse} and {@link #spec} convert between the two.
 */
public interface Partitioner {

    /** What {@link #parse} accepts, for error messages and help texts. */
    String VALID_SPECS =
            "iid, dirichlet:ALPHA (ALPHA > 0, e.g. dirichlet:0.5), shards:N (N >= 1, e.g. shards:2) or natural";

    /**
     * Divides the samples among {@code clients} clients.
     *
     * @param labels one label per training sample, each in {@code [0, numClasses)}
     * @param numClasses the number of classes
     * @param clients the number of clients, {@code >= 1}
     * @param seed seeds every random choice
     * @return for each client, the ascending indices of the samples it holds
     * @throws InvalidInputException if the samples cannot be divided that way, e.g. more clients
     *     than samples
     */
    int[][] partition(int[] labels, int numClasses, int clients, long seed);

    /**
     * Divides a data set's samples among {@code clients} clients; only the labels matter, except to
     * {@link NaturalPartitioner}, which keeps each sample's owner together.
     *
     * @param data the training set
     * @param clients the number of clients, {@code >= 1}
     * @param seed seeds every random choice
     * @return for each client, the ascending indices of the samples it holds
     * @throws InvalidInputException if the samples cannot be divided that way
     */
    default int[][] partition(Dataset data, int clients, long seed) {
        return partition(data.labels(), data.numClasses(), clients, seed);
    }

    /** Returns the spec that {@link #parse} turns back into this partitioner, e.g. {@code dirichlet:0.5}. */
    String spec();

    /**
     * Returns the partitioner a spec names: {@code iid}, {@code dirichlet:ALPHA}, {@code shards:N} or {@code natural}.
     *
     * @param spec the spec, as given on the command line
     * @return the partitioner
     * @throws InvalidInputException if the spec is not one of those forms or its number is invalid
     */
    static Partitioner parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.equals(IidPartitioner.SPEC)) {
            return new IidPartitioner();
        }
        if (spec.equals(NaturalPartitioner.SPEC)) {
            return new NaturalPartitioner();
        }
        if (spec.startsWith(DirichletPartitioner.PREFIX)) {
            String alpha = spec.substring(DirichletPartitioner.PREFIX.length());
            try {
                return new DirichletPartitioner(Double.parseDouble(alpha));
            } catch (NumberFormatException e) {
                throw new InvalidInputException(
                        "the partition '" + spec + "' needs a number ALPHA > 0 after 'dirichlet:', not '"
                                + alpha + "'.", e);
            }
        }
        if (spec.startsWith(ShardPartitioner.PREFIX)) {
            String shards = spec.substring(ShardPartitioner.PREFIX.length());
            try {
                return new ShardPartitioner(Integer.parseInt(shards));
            } catch (NumberFormatException e) {
                throw new InvalidInputException(
                        "the partition '" + spec + "' needs a whole number N >= 1 after 'shards:', not '"
                                + shards + "'.", e);
            }
        }
        throw new InvalidInputException("unknown partition '" + spec + "'; expected " + VALID_SPECS + ".");
    }
}
