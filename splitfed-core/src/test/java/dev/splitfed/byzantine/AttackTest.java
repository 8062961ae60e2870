package dev.splitfed.byzantine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.InvalidInputException;
import dev.splitfed.data.Dataset;
import dev.splitfed.internal.random.Seeds;
import dev.splitfed.internal.role.FedServer;
import dev.splitfed.internal.role.MainServer;
import dev.splitfed.internal.role.StepResult;
import dev.splitfed.internal.transport.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AttackTest {

    private static final float[] START = {1, 2, -1};
    private static final float[] TRAINED = {1.5f, 1, -1};

    @ParameterizedTest
    @CsvSource({"label-flip, label-flip", "sign-flip, sign-flip:1", "SIGN-FLIP:10, sign-flip:10",
        "gaussian, gaussian:1", "gaussian:0.50, gaussian:0.5", "scale:-2, scale:-2", "scale:1e2, scale:100"})
    void parsesAndNamesEveryAttack(String spec, String canonical) {
        Attack attack = Attack.parse(spec);
        assertThat(attack.spec()).isEqualTo(canonical);
        assertThat(Attack.parse(attack.spec())).isEqualTo(attack);
    }

    @ParameterizedTest
    @ValueSource(strings = {"flip", "label-flip:1", "sign-flip:0", "sign-flip:-1", "gaussian:nan", "scale", "scale:x",
        "scale:inf", "none"})
    void refusesWhatIsNotAnAttack(String spec) {
        assertThatThrownBy(() -> Attack.parse(spec)).isInstanceOf(InvalidInputException.class).hasMessageContaining(spec);
    }

    @Test
    void signFlipHandsInTheReversedScaledUpdate() {
        // update (0.5, -1, 0); start - 3 * update = (1 - 1.5, 2 + 3, -1).
        assertThat(Attack.parse("sign-flip:3").poisonWeights(START, TRAINED, null)).containsExactly(-0.5f, 5, -1);
        // The default S = 1: start - update.
        assertThat(Attack.parse("sign-flip").poisonWeights(START, TRAINED, null)).containsExactly(0.5f, 3, -1);
    }

    @Test
    void scaleHandsInTheBoostedUpdate() {
        // start + 10 * (0.5, -1, 0) = (6, -8, -1).
        assertThat(Attack.parse("scale:10").poisonWeights(START, TRAINED, null)).containsExactly(6, -8, -1);
    }

    @Test
    void gaussianHandsInTheStartPlusSeededNoise() {
        float[] poisoned = Attack.parse("gaussian:0.5").poisonWeights(START, TRAINED, Seeds.rng(7, "x"));
        ContinuousSampler normal = ZigguratSampler.NormalizedGaussian.of(Seeds.rng(7, "x"));
        for (int i = 0; i < START.length; i++) {
            assertThat(poisoned[i]).isCloseTo((float) (START[i] + 0.5 * normal.sample()), within(1e-6f));
        }
        // Its spread over many values is sigma, whatever the training did.
        float[] zeros = new float[20_000];
        float[] noise = Attack.parse("gaussian:0.5").poisonWeights(zeros, new float[20_000], Seeds.rng(8, "x"));
        double sq = 0;
        for (float v : noise) {
            sq += v * v;
        }
        assertThat(Math.sqrt(sq / noise.length)).isCloseTo(0.5, within(0.01));
    }

    @Test
    void labelFlipHandsInTheTrainingUnchangedAndFlipsTheData() {
        Attack flip = Attack.parse("label-flip");
        assertThat(flip.poisonWeights(START, TRAINED, null)).containsExactly(TRAINED);
        Dataset data = new Dataset("d", new float[] {1, 2, 3, 4}, new int[] {0, 3, 9, 4}, new int[] {1},
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
        Dataset flipped = flip.data(data);
        assertThat(flipped.labels()).containsExactly(9, 6, 0, 5);
        assertThat(flipped.features()).containsExactly(data.features());
        assertThat(Attack.parse("sign-flip").data(data)).isSameAs(data);
    }

    @Test
    void smashedDataIsPoisonedLikeTheUpdate() {
        Tensor smashed = new Tensor(new int[] {2, 2}, new float[] {1, -2, 0.5f, 0});
        assertThat(Attack.parse("sign-flip:2").poisonSmashed(smashed, null).data()).containsExactly(-2, 4, -1, -0f);
        assertThat(Attack.parse("scale:3").poisonSmashed(smashed, null).data()).containsExactly(3, -6, 1.5f, 0);
        assertThat(Attack.parse("label-flip").poisonSmashed(smashed, null).data()).containsExactly(smashed.data());
        float[] noisy = Attack.parse("gaussian:2").poisonSmashed(smashed, Seeds.rng(3, "s")).data();
        ContinuousSampler normal = ZigguratSampler.NormalizedGaussian.of(Seeds.rng(3, "s"));
        for (int i = 0; i < 4; i++) {
            assertThat(noisy[i]).isCloseTo((float) (smashed.data()[i] + 2 * normal.sample()), within(1e-6f));
        }
        assertThat(Attack.parse("scale:3").poisonSmashed(smashed, null).shape()).containsExactly(2, 2);
    }

    @Test
    void maliciousClientsAreASeededSortedDrawWithoutRepeats() {
        List<Integer> drawn = Attack.malicious(3, 10, 42);
        assertThat(drawn).hasSize(3).doesNotHaveDuplicates().isSorted().allSatisfy(k -> assertThat(k).isBetween(0, 9));
        assertThat(Attack.malicious(3, 10, 42)).isEqualTo(drawn);
        assertThat(Attack.malicious(0, 10, 42)).isEmpty();
        assertThat(Attack.malicious(10, 10, 42)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        // Over seeds, every client is drawn.
        boolean[] seen = new boolean[10];
        for (long seed = 0; seed < 50; seed++) {
            Attack.malicious(2, 10, seed).forEach(k -> seen[k] = true);
        }
        assertThat(seen).containsOnly(true);
    }

    /** Records what reaches the fed server. */
    private static final class Recorder implements FedServer {
        final List<float[]> submitted = new ArrayList<>();

        @Override
        public float[] download(int clientId, int round) {
            return START.clone();
        }

        @Override
        public void submit(int clientId, int round, float[] weights, int samples) {
            assertThat(samples).isEqualTo(17);
            submitted.add(weights);
        }
    }

    @Test
    void thePoisonedFedServerRewritesWhatTheClientSubmits() {
        Recorder server = new Recorder();
        FedServer poisoned = Attack.parse("sign-flip:3").fedServer(server, 1);
        float[] start = poisoned.download(4, 2);
        assertThat(start).containsExactly(START);
        // The client may scribble on what it downloaded; the attack remembers its own copy.
        start[0] = 99;
        poisoned.submit(4, 2, TRAINED, 17);
        assertThat(server.submitted.get(0)).containsExactly(-0.5f, 5, -1);
        assertThatThrownBy(() -> poisoned.submit(4, 3, TRAINED, 17)).isInstanceOf(IllegalStateException.class);
        assertThat(Attack.parse("label-flip").fedServer(server, 1)).isSameAs(server);
    }

    @Test
    void gaussianUpdatesAreTheSameForTheSameSeedClientAndRound() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        for (Recorder r : List.of(a, b)) {
            FedServer poisoned = Attack.parse("gaussian").fedServer(r, 5);
            poisoned.download(1, 1);
            poisoned.submit(1, 1, TRAINED, 17);
            poisoned.download(1, 2);
            poisoned.submit(1, 2, TRAINED, 17);
        }
        assertThat(a.submitted.get(0)).containsExactly(b.submitted.get(0));
        assertThat(a.submitted.get(1)).containsExactly(b.submitted.get(1)).isNotEqualTo(a.submitted.get(0));
    }

    @Test
    void thePoisonedMainServerRewritesSmashedDataOnly() {
        List<Tensor> received = new ArrayList<>();
        Tensor gradient = new Tensor(new int[] {1, 2}, new float[] {0.25f, -0.5f});
        MainServer server = new MainServer() {
            @Override
            public StepResult step(int clientId, int round, Tensor smashed, int[] labels) {
                received.add(smashed);
                assertThat(labels).containsExactly(3);
                return new StepResult(gradient, 1.5f);
            }

            @Override
            public Tensor forward(int clientId, int round, Tensor smashed) {
                received.add(smashed);
                return smashed;
            }

            @Override
            public Tensor backward(int clientId, int round, Tensor g) {
                return g;
            }
        };
        MainServer poisoned = Attack.parse("sign-flip:2").mainServer(server, 1);
        Tensor smashed = new Tensor(new int[] {1, 2}, new float[] {1, -3});
        StepResult answer = poisoned.step(0, 1, smashed, new int[] {3});
        assertThat(answer.cutGradient()).isSameAs(gradient);
        assertThat(received.get(0).data()).containsExactly(-2, 6);
        poisoned.forward(0, 1, smashed);
        assertThat(received.get(1).data()).containsExactly(-2, 6);
        assertThat(poisoned.backward(0, 1, gradient)).isSameAs(gradient);
        assertThat(Attack.parse("label-flip").mainServer(server, 1)).isSameAs(server);
    }
}
