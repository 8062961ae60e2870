package dev.splitfed.data;

import dev.splitfed.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

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
                "--partition natural needs a data set whose samples have natural owners, such as fortunes.");
    }

    @Override
    public int[][] partition(Dataset data, int clients, long seed) {
        if (!data.hasOwners()) {
            return partition(data.labels(), data.numClasses(), clients, seed);
        }
        PartitionArguments.check(data.labels(), data.numClasses(), clients);
        int[] owners = data.owners();
        List<Integer> present = new ArrayList<>(new TreeSet<>(Arrays.stream(owners).boxed().toList()));
        if (clients > present.size()) {
            throw new InvalidInputException(data.name() + " has " + present.size() + " natural owners ("
                    + String.join(", ", present.stream().map(o -> data.ownerNames().get(o)).toList())
                    + "), so --partition natural takes at most " + present.size() + " clients, not " + clients + ".");
        }
        int[] clientOf = new int[data.ownerNames().size()];
        for (int r = 0; r < present.size(); r++) {
            clientOf[present.get(r)] = r % clients;
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
