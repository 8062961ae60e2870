package dev.splitfed.internal.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.aggregate.Aggregation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fed server's side of SCAFFOLD: c travels down with the weights, c moves by (1/N) times the sum of delta c_i. */
class ScaffoldServerTest {

    @Test
    void serverVariateMovesByTheSumOfTheChangesOverAllClients() {
        // N = 4 clients, 3 selected, one of which drops out: c <- c + (1/4) (delta c_0 + delta c_2).
        ScaffoldServer server = new ScaffoldServer(new FedAvgServer(new float[] {1f, 1f}, Aggregation.fedAvg()), 4);
        server.beginRound(1, List.of(0, 2, 3));
        assertThat(server.download(0, 1)).containsExactly(1f, 1f, 0f, 0f);
        server.submit(0, 1, new float[] {3f, 1f, 0.4f, -0.8f}, 10);
        server.submit(2, 1, new float[] {1f, 5f, 1.2f, 0.4f}, 30);
        server.submit(3, 1, new float[] {9f, 9f, 100f, 100f}, 10);
        server.discard(3);
        server.endRound();
        assertThat(server.controlVariate()[0]).isCloseTo((0.4f + 1.2f) / 4, within(1e-7f));
        assertThat(server.controlVariate()[1]).isCloseTo((-0.8f + 0.4f) / 4, within(1e-7f));
        // x moves by the plain mean of the two completed updates (2, 0) and (0, 4), not 10 : 30 by samples.
        assertThat(server.globalWeights()[0]).isCloseTo(1f + (2f + 0f) / 2, within(1e-6f));
        assertThat(server.globalWeights()[1]).isCloseTo(1f + (0f + 4f) / 2, within(1e-6f));
        server.beginRound(2, List.of(1));
        float[] down = server.download(1, 2);
        assertThat(down[2]).isCloseTo(0.4f, within(1e-7f));
        assertThat(down[3]).isCloseTo(-0.1f, within(1e-7f));
    }

    @Test
    void aRoundWithoutSubmissionsLeavesTheVariate() {
        ScaffoldServer server = new ScaffoldServer(new FedAvgServer(new float[] {1f}, Aggregation.fedAvg()), 2);
        server.beginRound(1, List.of(0));
        server.endRound();
        assertThat(server.controlVariate()).containsExactly(0f);
        assertThat(server.globalWeights()).containsExactly(1f);
    }

    @Test
    void refusesASubmissionWithoutItsVariate() {
        ScaffoldServer server = new ScaffoldServer(new FedAvgServer(new float[] {1f, 2f}, Aggregation.fedAvg()), 2);
        server.beginRound(1, List.of(0));
        assertThatThrownBy(() -> server.submit(0, 1, new float[] {1f, 2f}, 5))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("client 0 sent 2 values, expected its 2 weights");
        assertThatThrownBy(() -> server.submit(0, 1, new float[] {1f, 2f, Float.NaN, 0f}, 5))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
    }
}
