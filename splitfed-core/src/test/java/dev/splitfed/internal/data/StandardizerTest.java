package dev.splitfed.internal.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StandardizerTest {

    @Test
    void columnsGetMeanZeroAndPopulationStdOne() {
        // Column 0: 1, 3 (mean 2, std 1). Column 1: 10, 30 (mean 20, std 10).
        Standardizer s = Standardizer.fit(new float[] {1, 10, 3, 30}, 2);

        assertThat(s.mean(0)).isEqualTo(2.0);
        assertThat(s.std(1)).isEqualTo(10.0);
        assertThat(s.transform(new float[] {1, 10, 3, 30})).containsExactly(-1f, -1f, 1f, 1f);
        assertThat(s.transform(new float[] {5, 25})).containsExactly(3f, 0.5f);
    }

    @Test
    void constantColumnIsCentredWithoutNaN() {
        Standardizer s = Standardizer.fit(new float[] {7, 1, 7, 2, 7, 3}, 2);

        assertThat(s.std(0)).isZero();
        assertThat(s.transform(new float[] {7, 2, 9, 2})).containsExactly(0f, 0f, 2f, 0f);
    }

    @Test
    void largeOffsetDoesNotCancelTheSpread() {
        Standardizer s = Standardizer.fit(new float[] {100_000.5f, 100_001.5f}, 1);

        assertThat(s.std(0)).isCloseTo(0.5, within(1e-9));
    }
}
