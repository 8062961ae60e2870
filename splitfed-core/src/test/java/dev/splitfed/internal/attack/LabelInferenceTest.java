package dev.splitfed.internal.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LabelInferenceTest {

    @Test
    void scoreNamesClustersByTheBestOneToOneAssignment() {
        // cluster 0 holds labels {1, 1}, cluster 1 {2, 0}, cluster 2 {0, 0}: 0 -> 1, 1 -> 2, 2 -> 0 gets 5 of 6.
        LabelInference.Result r = LabelInference.score(new int[] {0, 0, 1, 1, 2, 2}, new int[] {1, 1, 2, 0, 0, 0}, 3);
        assertThat(r.accuracy()).isEqualTo(5.0 / 6);
        assertThat(r.chance()).isEqualTo(0.5);
        assertThat(r.labelOfCluster()).containsExactly(1, 2, 0);
    }

    /** Three directions in 3-d, each sample scaled by a different size and a little noise: direction alone names the label. */
    @Test
    void clusteringByDirectionRecoversLabelsWhateverTheScale() {
        Random random = new Random(11);
        int n = 90;
        float[][] vectors = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int label = i % 3;
            labels[i] = label;
            double scale = Math.exp(random.nextGaussian() * 2);
            float[] v = new float[3];
            for (int d = 0; d < 3; d++) {
                v[d] = (float) (scale * ((d == label ? 1 : 0) + 0.1 * random.nextGaussian()));
            }
            vectors[i] = v;
        }
        LabelInference.Result r = LabelInference.attack(vectors, labels, 3, 1);
        assertThat(r.accuracy()).isEqualTo(1.0);
        assertThat(r.chance()).isCloseTo(1.0 / 3, org.assertj.core.api.Assertions.within(1e-12));
        // Directions chosen at random carry no label: the attack then scores near chance.
        float[][] noise = new float[n][];
        for (int i = 0; i < n; i++) {
            noise[i] = new float[] {(float) random.nextGaussian(), (float) random.nextGaussian(), (float) random.nextGaussian()};
        }
        assertThat(LabelInference.attack(noise, labels, 3, 1).accuracy()).isLessThan(0.6);
    }

    @Test
    void kMeansIsSeededAndGivesEveryPointACluster() {
        Random random = new Random(5);
        float[][] points = new float[40][];
        for (int i = 0; i < points.length; i++) {
            points[i] = new float[] {(float) random.nextGaussian(), (float) random.nextGaussian()};
        }
        points[7] = new float[] {0, 0};
        int[] a = new KMeans(4, 3, 50, 9).cluster(points);
        int[] b = new KMeans(4, 3, 50, 9).cluster(points);
        assertThat(a).containsExactly(b);
        for (int c : a) {
            assertThat(c).isBetween(0, 3);
        }
        assertThat(a[7]).as("a zero vector has no direction").isZero();
    }
}
