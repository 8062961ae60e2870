package dev.splitfed.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {

    // 30 samples: class 0 at every third index (10 samples), class 1 elsewhere (20 samples).
    private static final int[] LABELS = IntStream.range(0, 30).map(i -> i % 3 == 0 ? 0 : 1).toArray();

    @Test
    void choosesExactCountPerClassAndKeepsIndexOrder() {
        StratifiedSplit split = StratifiedSplit.ofCounts(LABELS, new int[] {4, 7}, 42);

        assertThat(split.chosen()).hasSize(11).isSorted();
        assertThat(split.rest()).hasSize(19).isSorted();
        assertThat(Arrays.stream(split.chosen()).filter(i -> LABELS[i] == 0).count()).isEqualTo(4);
        assertThat(Arrays.stream(split.chosen()).filter(i -> LABELS[i] == 1).count()).isEqualTo(7);
        assertThat(IntStream.concat(Arrays.stream(split.chosen()), Arrays.stream(split.rest())).sorted().toArray())
                .isEqualTo(IntStream.range(0, 30).toArray());
    }

    @Test
    void fractionIsRoundedPerClass() {
        // Class 0 has 10 samples, class 1 has 20: 25% gives round(2.5) = 3 and 5.
        StratifiedSplit split = StratifiedSplit.ofFraction(LABELS, 2, 0.25, 7);

        assertThat(Arrays.stream(split.chosen()).filter(i -> LABELS[i] == 0).count()).isEqualTo(3);
        assertThat(Arrays.stream(split.chosen()).filter(i -> LABELS[i] == 1).count()).isEqualTo(5);
    }

    @Test
    void sameSeedGivesSameSplitAndOtherSeedAnother() {
        int[] a = StratifiedSplit.ofCounts(LABELS, new int[] {4, 7}, 1).chosen();
        int[] b = StratifiedSplit.ofCounts(LABELS, new int[] {4, 7}, 1).chosen();
        int[] c = StratifiedSplit.ofCounts(LABELS, new int[] {4, 7}, 2).chosen();

        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }
}
