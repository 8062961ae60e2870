package dev.splitfed.internal.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.splitfed.InvalidInputException;
import dev.splitfed.hetero.FedBuffConfig;
import org.junit.jupiter.api.Test;

class FedBuffTest {

    @Test
    void stalenessWeightIsOneOverRootOfOnePlusTau() {
        assertThat(FedBuffConfig.staleness(0)).isEqualTo(1.0);
        assertThat(FedBuffConfig.staleness(3)).isEqualTo(0.5);
        assertThat(FedBuffConfig.staleness(8)).isCloseTo(1 / 3.0, offset(1e-15));
    }

    @Test
    void aServerStepAppliesTheStalenessWeightedMeanOfTheBuffer() {
        FedBuff buffer = new FedBuff(0.5);
        Aggregation fedAvg = Aggregation.fedAvg();
        float[] g0 = {0, 0};
        buffer.start(0, 1, g0);
        buffer.start(1, 1, g0);
        // Client 0 hands in at once: tau 0, its update (2, 4) times eta 0.5.
        buffer.arrived(0, new float[] {2, 4}, 1);
        float[] g1 = buffer.step(g0, fedAvg);
        assertThat(g1).containsExactly(1, 2);
        // Client 1 started before that step: tau 1, its update (4, 0) times 0.5 / sqrt(2).
        buffer.arrived(1, new float[] {4, 0}, 3);
        // Client 0 starts again from g1 and moves it by (1, 1): tau 0, times 0.5.
        buffer.start(0, 2, g1);
        assertThat(buffer.startWeights(0, 2)).containsExactly(1, 2);
        buffer.arrived(0, new float[] {2, 3}, 1);
        assertThat(buffer.buffered()).isEqualTo(2);
        float[] g2 = buffer.step(g1, fedAvg);
        // Sample-weighted (3 : 1): 0.75 * (1.41421356, 0) + 0.25 * (0.5, 0.5), added to (1, 2).
        assertThat(g2[0]).isCloseTo((float) (1 + 0.75 * 2 * Math.sqrt(0.5) + 0.25 * 0.5), offset(1e-6f));
        assertThat(g2[1]).isCloseTo(2 + 0.25f * 0.5f, offset(1e-6f));
        assertThat(buffer.buffered()).isZero();
    }

    @Test
    void aMessageForAnotherJobIsRefused() {
        FedBuff buffer = new FedBuff(1);
        buffer.start(3, 2, new float[] {0});
        assertThatThrownBy(() -> buffer.startWeights(3, 1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("job in flight is 2");
        assertThatThrownBy(() -> buffer.startWeights(4, 1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no job in flight");
    }

    @Test
    void specsParseAndBadOnesAreRefused() {
        assertThat(FedBuffConfig.parse("buffer=3")).isEqualTo(new FedBuffConfig(3, 0, 1));
        assertThat(FedBuffConfig.parse("buffer=3,concurrency=6,lr=0.5")).isEqualTo(new FedBuffConfig(3, 6, 0.5));
        assertThatThrownBy(() -> FedBuffConfig.parse("concurrency=2")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("buffer=K");
        assertThatThrownBy(() -> FedBuffConfig.parse("buffer=0")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> FedBuffConfig.parse("buffer=2,lr=-1")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> FedBuffConfig.parse("buffer=2,buffer=3")).isInstanceOf(InvalidInputException.class)
                .hasMessage("async 'buffer=2,buffer=3' gives buffer twice");
    }
}
