package dev.splitfed.internal.data;

import dev.splitfed.data.Dataset;
import dev.splitfed.data.Partitioner;
import dev.splitfed.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a data set's natural owners together: each client holds whole owners (authors, topics,
 * devices), as in LEAF's Shakespeare and Stack Overflow sets (Caldas et al. 2018), where one client
 * is one speaking role or one user.
 *
 * <p>With as many clients as owners, client {@code k} is the {@code k}-th owner present. With
 * fewer, owners are dealt in turn: client {@code k} holds owners {@code k, k + K, k + 2K, ...}.
 * More clients than owners is refused. The seed is not used: the split is the data's own.
 */
public record NaturalPartitioner() implements Partitioner {

    /** The spec of this partitioner. */
    public static final String SPEC = "natural";

    @Override
    public int[][] partition(int[] labels, int numClasses, int clients, long seed) {
        throw new InvalidInputException(
                "{partition} natural needs a data set whose samples have natural owners, such as fortunes.");
    }

    @Override
    public int[][] partition(Dataset data, int clients, long seed) {
        if (!data.hasOwners()) {
            return partition(data.labels(), data.numClasses(), clients, seed);
        }
        PartitionArguments.check(data.labels(), data.numClasses(), clients);
        int[] owners = data.owners();
        boolean[] holds = new boolean[data.ownerNames().size()];
        for (int owner : owners) {
            holds[owner] = true;
        }
        List<String> present = new ArrayList<>();
        int[] clientOf = new int[holds.length];
        for (int o = 0; o < holds.length; o++) {
            if (holds[o]) {
                clientOf[o] = present.size() % clients;
                present.add(data.ownerNames().get(o));
            }
        }
        if (clients > present.size()) {
            throw new InvalidInputException(data.name() + " has " + present.size() + " natural owners ("
                    + String.join(", ", present) + "), so {partition} natural takes at most " + present.size()
                    + " clients, not " + clients + ".");
        }
        int[] sizes = new int[clients];
        for (int owner : owners) {
            sizes[clientOf[owner]]++;
        }
        int[][] parts = new int[clients][];
        for (int k = 0; k < clients; k++) {
            parts[k] = new int[sizes[k]];
        }
        int[] filled = new int[clients];
        for (int i = 0; i < owners.length; i++) {
            int k = clientOf[owners[i]];
            parts[k][filled[k]++] = i;
        }
        return parts;
    }

    @Override
    public String spec() {
        return SPEC;
    }
}
