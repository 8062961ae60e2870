package dev.splitfed.internal.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.scheme.RoundMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    @Test
    void rowsSummariseEachSchemeByHand() {
        Map<String, List<RoundMetrics>> runs = new LinkedHashMap<>();
        runs.put("fl", ChartsTest.rounds("fl", 1_000_000, 0.70, 0.86, 0.84));
        runs.put("sl", ChartsTest.rounds("sl", 10_000_000, 0.60, 0.70, 0.80));
        Comparison c = new Comparison(runs, 0.85);
        Comparison.Row fl = c.rows().get(0);
        assertThat(fl.scheme()).isEqualTo("fl");
        assertThat(fl.finalAccuracy()).isEqualTo(0.84);
        assertThat(fl.bestAccuracy()).isEqualTo(0.86);
        assertThat(fl.roundsToTarget()).isEqualTo(2);
        // seconds 2, 3, 4 -> 3; 1,000,000 bytes over 5 clients -> 200,000 per client per round
        assertThat(fl.secondsPerRound()).isCloseTo(3.0, within(1e-12));
        assertThat(fl.bytesPerClientPerRound()).isCloseTo(200_000, within(1e-9));
        assertThat(fl.totalBytes()).isEqualTo(3_000_000);
        assertThat(fl.predictedTotalBytes()).isEqualTo(3_000_000);
        assertThat(c.rows().get(1).roundsToTarget()).isNull();
        assertThat(c.markdown()).contains("| fl | 0.8400 | 0.8600 | 2 | 3.00 | 0.20 | 3.00 | 3.00 |")
                .contains("| sl | 0.8000 | 0.8000 | not reached |");
    }
}
