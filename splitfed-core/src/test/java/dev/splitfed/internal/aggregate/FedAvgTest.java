package dev.splitfed.internal.aggregate;

import dev.splitfed.aggregate.ClientUpdate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class FedAvgTest {

    @Test
    void weightsEachClientBySampleCount() {
        // (1*[1,2] + 3*[5,-2]) / 4 = [4, -1]; the third client (6 samples, [0,0]) dilutes to
        // (1*[1,2] + 3*[5,-2] + 6*[0,0]) / 10 = [1.6, -0.4].
        float[] two = new FedAvg().aggregate(List.of(
                new ClientUpdate(0, new float[] {1, 2}, 1), new ClientUpdate(1, new float[] {5, -2}, 3)));
        assertThat(two[0]).isCloseTo(4f, within(1e-6f));
        assertThat(two[1]).isCloseTo(-1f, within(1e-6f));
        float[] three = new FedAvg().aggregate(List.of(
                new ClientUpdate(2, new float[] {0, 0}, 6),
                new ClientUpdate(0, new float[] {1, 2}, 1),
                new ClientUpdate(1, new float[] {5, -2}, 3)));
        assertThat(three[0]).isCloseTo(1.6f, within(1e-6f));
        assertThat(three[1]).isCloseTo(-0.4f, within(1e-6f));
    }

    @Test
    void resultDoesNotDependOnArrivalOrder() {
        ClientUpdate a = new ClientUpdate(0, new float[] {0.1f, 0.7f}, 3);
        ClientUpdate b = new ClientUpdate(1, new float[] {0.3f, 0.2f}, 7);
        ClientUpdate c = new ClientUpdate(2, new float[] {0.9f, 0.4f}, 11);
        assertThat(new FedAvg().aggregate(List.of(a, b, c)))
                .containsExactly(new FedAvg().aggregate(List.of(c, a, b)));
    }
}
