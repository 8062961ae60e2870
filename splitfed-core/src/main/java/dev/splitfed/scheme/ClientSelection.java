package dev.splitfed.scheme;

import dev.splitfed.internal.random.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;

/** Picks the clients of each synchronous round and the order in which they train. */
final class ClientSelection {

    private final int clients;
    private final double fraction;
    private final boolean poisson;
    private final long seed;

    /**
     * Creates the selection of a run.
     *
     * @param config the run's settings: fraction, seed, and whether DP-FedAvg is on
     * @param clients the number of clients, 0 to clients - 1
     */
    ClientSelection(SimulationConfig config, int clients) {
        this.clients = clients;
        this.fraction = config.fraction();
        this.poisson = config.dpFedAvg() != null;
        this.seed = config.seed();
    }

    /**
     * Returns the clients selected for a round: all, or a seeded random {@code fraction} of them.
     * Under DP-FedAvg each client is selected on its own with probability {@code fraction}
     * (Poisson sampling, which the privacy analysis assumes), so a round may have none.
     */
    List<Integer> select(int round) {
        if (poisson) {
            UniformRandomProvider rng = Seeds.rng(seed, "select", round);
            List<Integer> out = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                if (rng.nextDouble() < fraction) {
                    out.add(c);
                }
            }
            return out;
        }
        int m = Math.max(1, (int) Math.round(fraction * clients));
        int[] chosen = m >= clients
                ? PermutationSampler.natural(clients)
                : new PermutationSampler(Seeds.rng(seed, "select", round), clients, m).sample();
        Arrays.sort(chosen);
        List<Integer> out = new ArrayList<>(chosen.length);
        for (int c : chosen) {
            out.add(c);
        }
        return out;
    }

    /**
     * Returns the order in which the round's clients train: a fresh seeded random order each round
     * for {@code sflv2} (whose main server serves one client at a time), ascending ids otherwise.
     */
    static List<Integer> serviceOrder(Scheme scheme, long seed, int round, List<Integer> participants) {
        if (scheme != Scheme.SFLV2) {
            return participants;
        }
        int[] idx = participants.stream().mapToInt(Integer::intValue).toArray();
        UniformRandomProvider rng = Seeds.rng(seed, "order", round);
        PermutationSampler.shuffle(rng, idx);
        List<Integer> out = new ArrayList<>(idx.length);
        for (int c : idx) {
            out.add(c);
        }
        return out;
    }
}
