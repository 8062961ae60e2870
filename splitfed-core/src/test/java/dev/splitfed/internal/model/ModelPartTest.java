package dev.splitfed.internal.model;

import dev.splitfed.model.Architecture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import org.junit.jupiter.api.Test;

class ModelPartTest {

    private final Architecture lenet = Architecture.create("lenet5", new int[] {1, 28, 28}, 10);

    @Test
    void lenet5HasTheParameterCountsOfTheDesign() {
        // conv1 6*1*5*5+6 = 156; conv2 16*6*5*5+16 = 2416; fc 400*120+120 = 48120; 120*84+84 = 10164; 84*10+10 = 850
        try (SplitModel model = SplitModel.create(lenet, 1)) {
            assertThat(model.client().size()).isEqualTo(156);
            assertThat(model.size()).isEqualTo(61_706);
            assertThat(model.client().outputShape()).containsExactly(6, 14, 14);
        }
        try (SplitModel model = SplitModel.create(lenet, 2)) {
            assertThat(model.client().size()).isEqualTo(156 + 2416);
            assertThat(model.client().outputShape()).containsExactly(16, 5, 5);
        }
    }

    @Test
    void weightsRoundTripThroughTheFlatVector() {
        try (ModelPart part = ModelPart.create(lenet, 0, 2)) {
            float[] w = new float[part.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = i * 0.001f - 1;
            }
            part.setWeights(w);
            assertThat(part.weights()).containsExactly(w);
        }
    }

    @Test
    void defaultInitialisationIsBoundedByOneOverSqrtFanIn() {
        try (ModelPart conv1 = ModelPart.create(lenet, 0, 1)) {
            float[] w = conv1.defaultInitialWeights(1, "t");
            double bound = 1 / Math.sqrt(25); // fan_in of conv1 = 1 channel * 5 * 5
            double max = 0;
            for (float v : w) {
                max = Math.max(max, Math.abs(v));
            }
            assertThat(max).isLessThanOrEqualTo(bound).isGreaterThan(0.9 * bound);
            assertThat(conv1.defaultInitialWeights(1, "t")).containsExactly(w);
            assertThat(conv1.defaultInitialWeights(2, "t")).isNotEqualTo(w);
        }
    }

    @Test
    void cutOutOfRangeIsRefusedWithTheValidRange() {
        assertThatThrownBy(() -> lenet.checkCut(5))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("cut 5")
                .hasMessageContaining("1 to 4");
        assertThatThrownBy(() -> lenet.checkCut(0)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void lenet5RefusesTabularData() {
        assertThatThrownBy(() -> Architecture.create("lenet5", new int[] {30}, 2))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("mlp");
    }
}
