package dev.splitfed.scheme;

import dev.splitfed.internal.scheme.Roles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import dev.splitfed.aggregate.ClientUpdate;
import dev.splitfed.aggregate.ScaledSum;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An aggregation rule implemented outside splitfed, given to a run as an object. */
class OwnAggregationRuleTest {

    private static SimulationConfig.Builder withScaledSum(int clients) {
        return SimulationConfig.builder().optScheme(Scheme.FL).optClients(clients).optAggregator(new ScaledSum(0.5));
    }

    @Test
    void theRoundsAggregationComesFromTheRule() {
        SimulationConfig config = withScaledSum(2).build();
        List<ClientUpdate> updates = List.of(new ClientUpdate(0, new float[] {1, 2}, 1),
                new ClientUpdate(1, new float[] {3, 6}, 3));

        assertThat(config.toSettings()).containsEntry("aggregator", "scaled-sum:0.5");
        // Plain server optimizer: (10, 10) + 0.5 * ((1, 2) + (3, 6)) = (12, 14).
        assertThat(Roles.aggregation(config).apply(new float[] {10, 10}, updates)).containsExactly(12f, 14f);
    }

    @Test
    void theRuleIsHeldToItsMinimumAndToWhatARobustRuleMayNotJoin() {
        assertThatThrownBy(() -> withScaledSum(1).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("aggregator scaled-sum:0.5 needs at least 2 clients a round, got 1");
        assertThatThrownBy(() -> withScaledSum(2).optSecureAgg(true).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("aggregator scaled-sum:0.5 cannot go with secure-agg");
    }
}
