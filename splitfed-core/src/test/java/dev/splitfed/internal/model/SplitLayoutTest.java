package dev.splitfed.internal.model;

import dev.splitfed.model.Architecture;
import dev.splitfed.model.LabelSharing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import org.junit.jupiter.api.Test;

class SplitLayoutTest {

    private final Architecture lenet = Architecture.create("lenet5", new int[] {1, 28, 28}, 10);

    @Test
    void privateLabelsMoveTheOutputLayerToTheClient() {
        SplitLayout shared = SplitLayout.of(lenet, 1, LabelSharing.SHARED);
        SplitLayout uShape = SplitLayout.of(lenet, 1, LabelSharing.PRIVATE);
        // conv1: 6*25 + 6 = 156; output layer: 84*10 + 10 = 850; all: 61,706.
        assertThat(shared).isEqualTo(new SplitLayout(1, 5, 5, 156, 61_550, 0));
        assertThat(uShape).isEqualTo(new SplitLayout(1, 4, 5, 156, 60_700, 850));
        assertThat(uShape.privateLabels()).isTrue();
        assertThat(shared.privateLabels()).isFalse();
        assertThat(uShape.clientSize()).isEqualTo(1006);
    }

    @Test
    void theWholeModelStaysInArchitectureOrder() {
        // bottom 2, middle 3, head 2: whole = b0 b1 m0 m1 m2 h0 h1
        SplitLayout layout = new SplitLayout(1, 2, 3, 2, 3, 2);
        float[] whole = {1, 2, 10, 20, 30, 7, 8};
        assertThat(layout.clientPart(whole)).containsExactly(1, 2, 7, 8);
        assertThat(layout.serverPart(whole)).containsExactly(10, 20, 30);
        assertThat(layout.whole(new float[] {1, 2, 7, 8}, new float[] {10, 20, 30})).containsExactly(whole);
        SplitLayout plain = new SplitLayout(1, 3, 3, 2, 5, 0);
        assertThat(plain.clientPart(whole)).containsExactly(1, 2);
        assertThat(plain.whole(new float[] {1, 2}, new float[] {10, 20, 30, 7, 8})).containsExactly(whole);
    }

    @Test
    void aCutThatLeavesTheMiddleEmptyIsRefused() {
        assertThatThrownBy(() -> SplitLayout.of(lenet, 4, LabelSharing.PRIVATE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("cut 4 leaves the main server no layers with labels private, since the client keeps "
                        + "lenet5's last stage: use a cut from 1 to 3");
        Architecture mlp = Architecture.create("mlp", new int[] {30}, 2);
        assertThatThrownBy(() -> SplitLayout.checkCut(mlp, 2, LabelSharing.PRIVATE))
                .hasMessageContaining("use a cut from 1 to 1");
        assertThat(SplitLayout.checkCut(mlp, 2, LabelSharing.SHARED)).isEqualTo(3);
        assertThat(SplitLayout.checkCut(mlp, 1, LabelSharing.PRIVATE)).isEqualTo(2);
    }
}
