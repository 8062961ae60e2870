package dev.splitfed.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import dev.splitfed.registry.Plugins;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregatorProviderTest {

    @Test
    void listsTheBuiltInRulesInOrder() {
        assertThat(AggregatorProvider.registry().names())
                .containsExactly("fedavg", "median", "trimmed-mean", "krum", "multi-krum", "bulyan", "norm-bound");
        assertThat(AggregatorSpec.parse("fedavg")).isSameAs(AggregatorSpec.FEDAVG);
        assertThat(AggregatorSpec.FEDAVG.isFedAvg()).isTrue();
        assertThat(AggregatorSpec.parse("median").isFedAvg()).isFalse();
    }

    @Test
    void refusesAnUnknownRuleListingTheChoices() {
        assertThatThrownBy(() -> AggregatorSpec.parse("mean"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("unknown aggregator 'mean'; expected one of fedavg, median, trimmed-mean:BETA, krum[:f=F],"
                        + " multi-krum:M[,f=F], bulyan[:f=F], norm-bound:C.");
        assertThatThrownBy(() -> AggregatorSpec.parse("fedavg:f=1"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("aggregator 'fedavg:f=1' does not fit fedavg, which takes no parameter");
    }

    @Test
    void aRuleFromAPluginIsParsedByNameAndAggregates() {
        AggregatorSpec rule = Plugins.with("extensions", () -> AggregatorSpec.parse(" Scaled-Sum:0.5 "));

        assertThat(rule).isEqualTo(new ScaledSum(0.5));
        assertThat(rule.spec()).isEqualTo("scaled-sum:0.5");
        assertThat(rule.minimumUpdates()).isEqualTo(2);
        assertThat(rule.isFedAvg()).isFalse();
        // 0.5 * ((1, 2) + (3, 6)) = (2, 4), whatever the sample counts.
        List<ClientUpdate> updates = List.of(new ClientUpdate(0, new float[] {1, 2}, 1),
                new ClientUpdate(1, new float[] {3, 6}, 3));
        assertThat(rule.create().aggregate(updates)).containsExactly(2f, 4f);
        assertThat(Plugins.with("extensions", () -> AggregatorProvider.registry().names())).containsExactly(
                "fedavg", "median", "trimmed-mean", "krum", "multi-krum", "bulyan", "norm-bound", "scaled-sum");
        assertThatThrownBy(() -> AggregatorSpec.parse("scaled-sum:0.5"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("unknown aggregator 'scaled-sum:0.5'; expected one of fedavg,");
    }
}
