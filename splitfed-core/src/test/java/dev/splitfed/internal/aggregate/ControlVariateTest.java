package dev.splitfed.internal.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.InvalidInputException;
import org.junit.jupiter.api.Test;

/** SCAFFOLD's client control variate (Karimireddy et al. 2020, option II) on vectors worked out by hand. */
class ControlVariateTest {

    @Test
    void startsAtZeroSoTheFirstCorrectionIsTheServersVariate() {
        ControlVariate ci = new ControlVariate(3);
        assertThat(ci.value()).containsExactly(0f, 0f, 0f);
        assertThat(ci.correction(new float[] {0.5f, -1f, 2f})).containsExactly(0.5f, -1f, 2f);
    }

    @Test
    void optionTwoUpdateMatchesTheFormula() {
        ControlVariate ci = new ControlVariate(2);
        // Round 1: c_i = 0, c = (0.1, -0.2); x = (1, 2), y = (0.8, 2.3), K = 4 steps of lr 0.5.
        // (x - y) / (K lr) = (0.2, -0.3) / 2 = (0.1, -0.15); c_i+ = 0 - c + that = (0.0, 0.05).
        float[] delta = ci.update(new float[] {1f, 2f}, new float[] {0.8f, 2.3f}, new float[] {0.1f, -0.2f}, 4, 0.5f);
        assertThat(ci.value()[0]).isCloseTo(0.0f, within(1e-6f));
        assertThat(ci.value()[1]).isCloseTo(0.05f, within(1e-6f));
        assertThat(delta[0]).isCloseTo(0.0f, within(1e-6f));
        assertThat(delta[1]).isCloseTo(0.05f, within(1e-6f));
        // Round 2: c = (0.3, 0.1), so every step adds c - c_i = (0.3, 0.05).
        float[] c = {0.3f, 0.1f};
        assertThat(ci.correction(c)[0]).isCloseTo(0.3f, within(1e-6f));
        assertThat(ci.correction(c)[1]).isCloseTo(0.05f, within(1e-6f));
        // x = (0, 0), y = (-0.6, 0.2) after K = 2 steps of lr 0.1: (x - y) / (K lr) = (3, -1);
        // c_i+ = (0, 0.05) - (0.3, 0.1) + (3, -1) = (2.7, -1.05); delta = (2.7, -1.1).
        delta = ci.update(new float[] {0f, 0f}, new float[] {-0.6f, 0.2f}, c, 2, 0.1f);
        assertThat(ci.value()[0]).isCloseTo(2.7f, within(1e-5f));
        assertThat(ci.value()[1]).isCloseTo(-1.05f, within(1e-5f));
        assertThat(delta[0]).isCloseTo(2.7f, within(1e-5f));
        assertThat(delta[1]).isCloseTo(-1.1f, within(1e-5f));
    }

    @Test
    void aCopyIsUpdatedWithoutTheOriginal() {
        ControlVariate ci = new ControlVariate(1);
        ControlVariate next = new ControlVariate(ci);
        next.update(new float[] {1f}, new float[] {0f}, new float[] {0f}, 1, 1f);
        assertThat(next.value()).containsExactly(1f);
        assertThat(ci.value()).containsExactly(0f);
    }

    @Test
    void messagesCarryWeightsThenTheVariate() {
        float[] message = ControlVariate.join(new float[] {1f, 2f}, new float[] {3f, 4f});
        assertThat(message).containsExactly(1f, 2f, 3f, 4f);
        assertThat(ControlVariate.weightsOf(message)).containsExactly(1f, 2f);
        assertThat(ControlVariate.variateOf(message)).containsExactly(3f, 4f);
        assertThatThrownBy(() -> ControlVariate.weightsOf(new float[3]))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("odd number of values, 3");
    }
}
