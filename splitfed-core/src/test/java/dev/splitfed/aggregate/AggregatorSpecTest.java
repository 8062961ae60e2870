package dev.splitfed.aggregate;

import dev.splitfed.internal.aggregate.Median;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AggregatorSpecTest {

    @ParameterizedTest
    @CsvSource({"fedavg, fedavg, 1", "Median, median, 1", "trimmed-mean:0.20, trimmed-mean:0.2, 1",
        "trimmed-mean:0, trimmed-mean:0, 1", "krum, krum, 3", "krum:f=2, krum:f=2, 7", "multi-krum:5, multi-krum:5, 5",
        "'multi-krum:5,f=2', 'multi-krum:5,f=2', 7", "'multi-krum:9,f=1', 'multi-krum:9,f=1', 9", "bulyan, bulyan, 3",
        "bulyan:f=1, bulyan:f=1, 7", "norm-bound:3, norm-bound:3, 1", "norm-bound:0.5, norm-bound:0.5, 1"})
    void parsesNamesAndSizesEveryRule(String spec, String canonical, int minimum) {
        AggregatorSpec parsed = AggregatorSpec.parse(spec);
        assertThat(parsed.spec()).isEqualTo(canonical);
        assertThat(AggregatorSpec.parse(parsed.spec())).isEqualTo(parsed);
        assertThat(parsed.minimumUpdates()).isEqualTo(minimum);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mean", "median:1", "trimmed-mean", "trimmed-mean:0.5", "trimmed-mean:-0.1", "krum:3",
        "krum:f=-1", "krum:f=1.5", "multi-krum", "multi-krum:0", "multi-krum:2.5", "bulyan:2", "norm-bound",
        "norm-bound:0", "norm-bound:x", "median:f=1", "fedavg:f=1", "krum:", "multi-krum:5f=2", "bulyan:,f=1"})
    void refusesWhatIsNotARule(String spec) {
        assertThatThrownBy(() -> AggregatorSpec.parse(spec))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(spec);
    }

    @Test
    void createsTheRuleItNames() {
        List<ClientUpdate> updates = List.of(new ClientUpdate(0, new float[] {0}, 1),
                new ClientUpdate(1, new float[] {1}, 3), new ClientUpdate(2, new float[] {8}, 1));
        // FedAvg (0 + 3 + 8) / 5; median 1; trimmed-mean:0.34 drops 1 at each end: 1; Krum with f = 0 scores
        // the n - f - 2 = 1 nearest: 0 -> 1, 1 -> 1, 8 -> 49, and the tie goes to client 0; Multi-Krum of two
        // averages 0 and 1; Bulyan with f = 0 is the plain mean 3; norm-bound:2 -> (0 + 3 + 2) / 5.
        assertThat(AggregatorSpec.parse("fedavg").create().aggregate(updates)).containsExactly(2.2f);
        assertThat(AggregatorSpec.parse("median").create().aggregate(updates)).containsExactly(1f);
        assertThat(AggregatorSpec.parse("trimmed-mean:0.34").create().aggregate(updates)).containsExactly(1f);
        assertThat(AggregatorSpec.parse("krum").create().aggregate(updates)).containsExactly(0f);
        assertThat(AggregatorSpec.parse("multi-krum:2").create().aggregate(updates)).containsExactly(0.5f);
        assertThat(AggregatorSpec.parse("bulyan").create().aggregate(updates)).containsExactly(3f);
        assertThat(AggregatorSpec.parse("norm-bound:2").create().aggregate(updates)).containsExactly(1f);
    }
}
