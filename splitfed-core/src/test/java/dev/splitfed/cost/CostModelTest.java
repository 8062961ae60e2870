package dev.splitfed.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.InvalidInputException;
import dev.splitfed.compress.Codec;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.scheme.Scheme;
import org.junit.jupiter.api.Test;

class CostModelTest {

    private final Architecture lenet = Architecture.create("lenet5", new int[] {1, 28, 28}, 10);

    @Test
    void lenet5CutOneMatchesTheDesignFigures() {
        CostModel cost = CostModel.of(lenet, 1, 1, 64, Codec.NONE);
        assertThat(cost.totalParameters()).isEqualTo(61_706);
        assertThat(cost.clientParameters()).isEqualTo(156);
        assertThat(cost.cutFloats()).isEqualTo(6 * 14 * 14);
        int[] fiveClients = {12_000, 12_000, 12_000, 12_000, 12_000};
        // fl: 2 * 4 * 5 * 61,706 = 2,468,240 bytes ("about 2.5 MB" in docs/design.md)
        assertThat(cost.round(Scheme.FL, fiveClients).total()).isEqualTo(2_468_240L);
        // sflv1: 4 * (2 * 60,000 * 1176 + 2 * 5 * 156) + 4 * 60,000 = 564,726,240 ("about 565 MB")
        assertThat(cost.round(Scheme.SFLV1, fiveClients).total()).isEqualTo(564_726_240L);
        assertThat(cost.round(Scheme.SL, fiveClients)).isEqualTo(cost.round(Scheme.SFLV2, fiveClients));
        assertThat(cost.round(Scheme.CENTRAL, new int[] {60_000}).total()).isZero();
    }

    @Test
    void privateLabelsAddTheMiddlesOutputAndItsGradientAndTheHeadButNoLabels() {
        CostModel cost = CostModel.of(lenet, 1, LabelSharing.PRIVATE, 1, 64, Codec.NONE);
        // head: dense 84 -> 10, 850 parameters, h = 84 floats per sample at its input.
        assertThat(cost.headParameters()).isEqualTo(850);
        assertThat(cost.headFloats()).isEqualTo(84);
        // 100 samples: up 4 (100 (1176 + 84) + 156 + 850) = 508,024; down the same.
        assertThat(cost.bytesUp(Scheme.SFLV1, 100)).isEqualTo(508_024);
        assertThat(cost.bytesDown(Scheme.SFLV1, 100)).isEqualTo(508_024);
        assertThat(cost.bytesUp(Scheme.FL, 100)).isEqualTo(4 * 61_706);
        // Five clients of 12,000: 2 x 4 (60,000 x 1260 + 5 x 1006) = 604,840,240 against 564,726,240 shared.
        int[] fiveClients = {12_000, 12_000, 12_000, 12_000, 12_000};
        assertThat(cost.round(Scheme.SFLV1, fiveClients).total()).isEqualTo(604_840_240L);
        // int8: each batch's tensors apart; 100 samples = 64 + 36. h: 64 x 84 = 5,376 values (3 blocks),
        // 36 x 84 = 3,024 (2 blocks); the client's 1,006 weights up in one block.
        CostModel int8 = cost.withCodec(Codec.parse("int8"));
        long cut = (64 * 1176 + 8 * 37) + (36 * 1176 + 8 * 21);
        long middle = (64 * 84 + 8 * 3) + (36 * 84 + 8 * 2);
        assertThat(int8.bytesUp(Scheme.SL, 100)).isEqualTo(cut + middle + 1006 + 8);
        assertThat(int8.bytesDown(Scheme.SL, 100)).isEqualTo(cut + middle + 4 * 1006);
    }

    @Test
    void localEpochsMultiplyOnlyTheCutLayerTraffic() {
        CostModel one = CostModel.of(lenet, 2, 1, 64, Codec.NONE);
        CostModel three = CostModel.of(lenet, 2, 3, 64, Codec.NONE);
        // cut 2: q = 16 * 5 * 5 = 400, |W_C| = 156 + 2416 = 2572
        assertThat(one.bytesUp(Scheme.SFLV1, 100)).isEqualTo(4 * (100 * 400 + 2572) + 4 * 100);
        assertThat(three.bytesUp(Scheme.SFLV1, 100)).isEqualTo(4 * (3 * 100 * 400 + 2572) + 4 * 3 * 100);
        assertThat(three.bytesDown(Scheme.FL, 100)).isEqualTo(one.bytesDown(Scheme.FL, 100));
    }

    @Test
    void codecsShrinkEachBatchAndTheUpdateButNotLabelsOrDownloads() {
        CostModel int8 = CostModel.of(lenet, 1, 1, 64, Codec.parse("int8"));
        // 100 samples = batches of 64 and 36; q = 1176. int8: m bytes + 8 per block of 2048 values.
        long full = 64 * 1176 + 8 * 37;   // 75,264 values: 37 blocks
        long rest = 36 * 1176 + 8 * 21;   // 42,336 values: 21 blocks
        long weights = 156 + 8;           // W_C: one block
        assertThat(int8.bytesUp(Scheme.SFLV1, 100)).isEqualTo(full + rest + weights + 4 * 100);
        assertThat(int8.bytesDown(Scheme.SFLV1, 100)).isEqualTo(full + rest + 4 * 156);
        // fl: the update is encoded (61,706 values: 31 blocks); the download stays float32.
        assertThat(int8.bytesUp(Scheme.FL, 100)).isEqualTo(61_706 + 8 * 31);
        assertThat(int8.bytesDown(Scheme.FL, 100)).isEqualTo(4 * 61_706);

        CostModel topk = CostModel.of(lenet, 1, 1, 64, Codec.parse("topk:0.01"));
        // top-k: 8 bytes (index and value) per kept value, ceil(0.01 m) of m.
        assertThat(topk.bytesDown(Scheme.SFLV1, 100)).isEqualTo(8 * (753 + 424) + 4 * 156);
        CostModel fp16 = CostModel.of(lenet, 1, 1, 64, Codec.parse("fp16"));
        assertThat(fp16.bytesDown(Scheme.SFLV1, 100)).isEqualTo(2 * 100 * 1176 + 4 * 156);
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
