package dev.splitfed.hetero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.splitfed.InvalidInputException;
import dev.splitfed.compress.Codec;
import dev.splitfed.cost.CostModel;
import dev.splitfed.cost.LinkRate;
import dev.splitfed.scheme.Scheme;
import org.junit.jupiter.api.Test;

class TimeModelTest {

    // |W| = 1000, |W_C| = 100, q = 50 floats per sample at the cut, batches of 10.
    private final CostModel cost = new CostModel(1000, 100, 50, 1, 10, Codec.NONE);
    private final TimeModel.BatchSeconds batch = new TimeModel.BatchSeconds(0.2, 0.05);
    private final double[] slowdowns = {1, 2.5};

    @Test
    void flClientsComputeTheWholeModelAtTheirSpeedAndSendTheWeights() {
        // 1 Mbit/s: weights 4000 B down + 4000 B up = 0.064 s.
        TimeModel time = new TimeModel(Scheme.FL, slowdowns, batch, LinkRate.parse("1Mbit/s"), cost);
        assertThat(time.seconds(0, 10)).isCloseTo(0.064 + 10 * 0.25, offset(1e-12));
        assertThat(time.seconds(1, 10)).isCloseTo(0.064 + 10 * 2.5 * 0.25, offset(1e-12));
    }

    @Test
    void splitClientsAddTheMainServersWorkAndTheSmashedDataOnTheLink() {
        // Weights 2 * 400 B; a batch: 10 * 50 floats up and down (4000 B) + 10 int labels (40 B) = 4040 B.
        TimeModel time = new TimeModel(Scheme.SFLV1, slowdowns, batch, LinkRate.parse("1Mbit/s"), cost);
        double perBatch = 2.5 * 0.2 + 0.05 + 4040 * 8 / 1e6;
        assertThat(time.seconds(1, 7)).isCloseTo(800 * 8 / 1e6 + 7 * perBatch, offset(1e-12));
        assertThat(new TimeModel(Scheme.SFLV1, slowdowns, batch, null, cost).seconds(1, 7))
                .isCloseTo(7 * (2.5 * 0.2 + 0.05), offset(1e-12));
    }

    @Test
    void theBudgetIsTheBatchesThatFitBeforeTheDeadline() {
        TimeModel time = new TimeModel(Scheme.FL, slowdowns, batch, null, cost);
        // client 1: 0.625 s a batch; 3.0 s fit 4.8 batches -> 4; 0.5 s fit none.
        assertThat(time.budget(1, 10, 3.0)).isEqualTo(4);
        assertThat(time.budget(1, 10, 0.5)).isZero();
        assertThat(time.budget(1, 3, 3.0)).isEqualTo(3);
    }

    @Test
    void batchSecondsParseOneOrTwoNumbers() {
        assertThat(TimeModel.BatchSeconds.parse("0.01")).isEqualTo(new TimeModel.BatchSeconds(0.01, 0));
        assertThat(TimeModel.BatchSeconds.parse("0.01, 0.02")).isEqualTo(new TimeModel.BatchSeconds(0.01, 0.02));
        assertThatThrownBy(() -> TimeModel.BatchSeconds.parse("0")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("CLIENT > 0");
        assertThatThrownBy(() -> TimeModel.BatchSeconds.parse("a,b")).isInstanceOf(InvalidInputException.class);
    }
}
