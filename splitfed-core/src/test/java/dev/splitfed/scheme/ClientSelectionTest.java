package dev.splitfed.scheme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.privacy.DpFedAvgConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which clients a round selects: a seeded share of them, or each on its own under DP-FedAvg. */
class ClientSelectionTest {

    private static ClientSelection selection(double fraction, DpFedAvgConfig dpFedAvg) {
        SimulationConfig config = SimulationConfig.builder()
                .optScheme(Scheme.FL).optClients(10).optFraction(fraction).optSeed(5).optDpFedAvg(dpFedAvg).build();
        return new ClientSelection(config, 10);
    }

    @Test
    void aFractionSelectsItsRoundedShareInAscendingOrderTheSameForTheSameRound() {
        ClientSelection quarter = selection(0.25, null);
        Set<List<Integer>> seen = new HashSet<>();
        for (int round = 1; round <= 5; round++) {
            List<Integer> chosen = quarter.select(round);
            assertThat(chosen).as("round(0.25 * 10) = 3 clients").hasSize(3).isSorted().doesNotHaveDuplicates()
                    .allMatch(k -> k >= 0 && k < 10);
            assertThat(selection(0.25, null).select(round)).isEqualTo(chosen);
            seen.add(chosen);
        }
        assertThat(seen).as("five rounds, five draws").hasSize(5);
        assertThat(selection(1, null).select(3)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(selection(0.01, null).select(3)).as("at least one client").hasSize(1);
    }

    @Test
    void underDpFedAvgEachClientIsSelectedOnItsOwnWithTheFractionAsProbability() {
        ClientSelection poisson = selection(0.3, DpFedAvgConfig.parse("noise=1,clip=1"));
        Set<Integer> sizes = new HashSet<>();
        long total = 0;
        int empty = 0;
        int rounds = 400;
        for (int round = 1; round <= rounds; round++) {
            List<Integer> chosen = poisson.select(round);
            assertThat(chosen).isSorted().doesNotHaveDuplicates();
            sizes.add(chosen.size());
            total += chosen.size();
            empty += chosen.isEmpty() ? 1 : 0;
        }
        // Binomial(10, 0.3): mean 3 clients (standard error 0.07 over 400 rounds), none in 2.8% of rounds.
        assertThat((double) total / rounds).isBetween(2.7, 3.3);
        assertThat(sizes).hasSizeGreaterThan(4);
        assertThat(empty).isBetween(1, 30);
    }
}
