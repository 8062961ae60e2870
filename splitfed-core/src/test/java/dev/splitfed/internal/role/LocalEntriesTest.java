package dev.splitfed.internal.role;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.LabelSharing;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FedBN's view of the fed server, by hand: which values go up, which come down. */
class LocalEntriesTest {

    /** A fed server that hands out a fixed global vector and records what it is given. */
    private static final class Fixed implements FedServer {
        float[] global;
        final List<float[]> submitted = new ArrayList<>();

        Fixed(float[] global) {
            this.global = global;
        }

        @Override
        public float[] download(int clientId, int round) {
            return global.clone();
        }

        @Override
        public void submit(int clientId, int round, float[] weights, int samples) {
            submitted.add(weights.clone());
        }
    }

    @Test
    void keepsItsOwnValuesAtTheMaskedPositionsFromItsFirstSubmissionOnAndSendsEverything() {
        Fixed server = new Fixed(new float[] {1, 2, 3, 4});
        LocalEntries view = new LocalEntries(server, new boolean[] {false, true, false, true});
        assertThat(view.count()).isEqualTo(2);
        // Before it has trained, the client starts from the global values everywhere.
        assertThat(view.download(0, 1)).containsExactly(1, 2, 3, 4);
        view.submit(0, 1, new float[] {10, 20, 30, 40}, 7);
        assertThat(server.submitted.get(0)).as("everything travels").containsExactly(10, 20, 30, 40);
        // Round 2: the average came back; the client keeps its round-1 values at positions 1 and 3.
        server.global = new float[] {5, 6, 7, 8};
        assertThat(view.download(0, 2)).containsExactly(5, 20, 7, 40);
        view.submit(0, 2, new float[] {50, 60, 70, 80}, 7);
        assertThat(view.download(0, 3)).containsExactly(5, 60, 7, 80);
        assertThat(view.apply(new float[] {0, 0, 0, 0})).containsExactly(0, 60, 0, 80);
    }

    @Test
    void theMaskCoversTheBatchNormalisationOfTheClientsPart() {
        Architecture net = Architecture.create("resnet18", new int[] {1, 28, 28}, 10);
        // stem: 64 x (gamma, beta, mean, var) = 256; layer1: four BatchNorm of 64 = 1024
        assertThat(count(LocalEntries.normalisation(net, SplitLayout.of(net, 2, LabelSharing.SHARED))))
                .isEqualTo(256 + 1024);
        boolean[] whole = LocalEntries.normalisation(net, null);
        assertThat(whole).hasSize(11_184_970);
        // + layer2: 4 x 128 + 128 (downsample) ... : every BatchNorm has 4 values per channel
        int channels = 64 + 4 * 64 + 5 * 128 + 5 * 256 + 5 * 512;
        assertThat(count(whole)).isEqualTo(4 * channels);
        Architecture lenet = Architecture.create("lenet5", new int[] {1, 28, 28}, 10);
        assertThat(count(LocalEntries.normalisation(lenet, null))).isZero();
    }

    private static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        return n;
    }
}
