package dev.splitfed.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.InvalidInputException;
import dev.splitfed.model.Architecture;
import dev.splitfed.scheme.Scheme;
import org.junit.jupiter.api.Test;

class CostModelTest {

    private final Architecture lenet = Architecture.create("lenet5", new int[] {1, 28, 28}, 10);

    @Test
    void lenet5CutOneMatchesTheDesignFigures() {
        CostModel cost = CostModel.of(lenet, 1, 1);
        assertThat(cost.totalParameters()).isEqualTo(61_706);
        assertThat(cost.clientParameters()).isEqualTo(156);
        assertThat(cost.cutFloats()).isEqualTo(6 * 14 * 14);
        int[] fiveClients = {12_000, 12_000, 12_000, 12_000, 12_000};
        // fl: 2 * 4 * 5 * 61,706 = 2,468,240 bytes ("about 2.5 MB" in shared/design.md)
        assertThat(cost.round(Scheme.FL, fiveClients).total()).isEqualTo(2_468_240L);
        // sflv1: 4 * (2 * 60,000 * 1176 + 2 * 5 * 156) + 4 * 60,000 = 564,726,240 ("about 565 MB")
        assertThat(cost.round(Scheme.SFLV1, fiveClients).total()).isEqualTo(564_726_240L);
        assertThat(cost.round(Scheme.SL, fiveClients)).isEqualTo(cost.round(Scheme.SFLV2, fiveClients));
        assertThat(cost.round(Scheme.CENTRAL, new int[] {60_000}).total()).isZero();
    }

    @Test
    void localEpochsMultiplyOnlyTheCutLayerTraffic() {
        CostModel one = CostModel.of(lenet, 2, 1);
        CostModel three = CostModel.of(lenet, 2, 3);
        // cut 2: q = 16 * 5 * 5 = 400, |W_C| = 156 + 2416 = 2572
        assertThat(one.bytesUp(Scheme.SFLV1, 100)).isEqualTo(4 * (100 * 400 + 2572) + 4 * 100);
        assertThat(three.bytesUp(Scheme.SFLV1, 100)).isEqualTo(4 * (3 * 100 * 400 + 2572) + 4 * 3 * 100);
        assertThat(three.bytesDown(Scheme.FL, 100)).isEqualTo(one.bytesDown(Scheme.FL, 100));
    }

    @Test
    void linkRatesParseWithTheirUnits() {
        assertThat(LinkRate.parse("100Mbit/s").bitsPerSecond()).isEqualTo(1e8);
        assertThat(LinkRate.parse("1Gbps").bitsPerSecond()).isEqualTo(1e9);
        assertThat(LinkRate.parse("12.5MB/s").bitsPerSecond()).isEqualTo(1e8);
        assertThat(LinkRate.parse("500 kbit/s").bitsPerSecond()).isEqualTo(5e5);
        assertThat(LinkRate.parse("100Mbit/s").seconds(12_500_000)).isCloseTo(1.0, within(1e-12));
        assertThatThrownBy(() -> LinkRate.parse("fast")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("100Mbit/s");
        assertThatThrownBy(() -> LinkRate.parse("0Mbit/s")).isInstanceOf(InvalidInputException.class);
    }
}
