package dev.splitfed.scheme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.data.DataSplit;
import dev.splitfed.internal.data.Fortunes;
import dev.splitfed.internal.data.NaturalPartitioner;
import dev.splitfed.model.LabelSharing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The next-word workload under every scheme, on four real topic files of Debian's fortunes
 * package (one client each): the scheme invariants hold for the LSTM as for LeNet-5, bytes match
 * the message sizes by hand, and every round reports top-3 accuracy and perplexity.
 */
@Tag("long")
class NextWordRunTest {

    /** Small topics of Debian's fortunes package, about 7,700 words in all, shipped with the tests. */
    static final List<String> TOPICS = List.of("goedel", "magic", "medicine", "pets");
    private static final int T = Fortunes.CONTEXT;
    private static final long E = 64;
    private static final long H = 128;

    @TempDir
    static Path dir;

    private static DataSplit data;
    private static int[][] partition;

    /**
     * Copies the topic files the tests ship (src/test/resources/fortunes, copies of Debian's
     * fortunes package with its licence in NOTICE), so no test needs the package installed.
     */
    static Path topics(Path to) throws IOException {
        for (String topic : TOPICS) {
            try (java.io.InputStream in = NextWordRunTest.class.getResourceAsStream("/fortunes/" + topic)) {
                assertThat(in).as("test resource fortunes/%s", topic).isNotNull();
                Files.copy(in, to.resolve(topic));
            }
        }
        return to;
    }

    @BeforeAll
    static void load() throws IOException {
        data = Fortunes.load(topics(dir));
        partition = new NaturalPartitioner().partition(data.train(), 4, 0);
    }

    private static SimulationConfig.Builder small(Scheme scheme) {
        return SimulationConfig.builder().optScheme(scheme).optClients(4).optPartition("natural").optBatchSize(32)
                .optLearningRate(0.5f).optRounds(2).optThreads(1).optSeed(5);
    }

    private static SimulationResult run(SimulationConfig config) {
        return new Simulation(config, data, "next-word").run(new SimulationListener() {});
    }

    @Test
    void eachClientIsOneTopic() {
        int[] owners = data.train().owners();
        for (int k = 0; k < 4; k++) {
            for (int i : partition[k]) {
                assertThat(data.train().ownerNames().get(owners[i])).isEqualTo(TOPICS.get(k));
            }
        }
    }

    @Test
    void sflv1EqualsFedAvgWithSharedAndPrivateLabelsAndSflv2DoesNot() {
        float[] fl = run(small(Scheme.FL).build()).globalWeights();
        assertThat(Weights.maxAbsDifference(fl, run(small(Scheme.SFLV1).build()).globalWeights())).isLessThanOrEqualTo(1e-4);
        // The cut fixes the initial weights' random streams, so the cut-2 runs are compared with each other.
        assertThat(Weights.maxAbsDifference(run(small(Scheme.FL).optCut(2).build()).globalWeights(),
                run(small(Scheme.SFLV1).optCut(2).build()).globalWeights())).isLessThanOrEqualTo(1e-4);
        assertThat(Weights.maxAbsDifference(fl, run(small(Scheme.SFLV1).optLabels(LabelSharing.PRIVATE).build())
                .globalWeights())).isLessThanOrEqualTo(1e-4);
        assertThat(Weights.maxAbsDifference(fl, run(small(Scheme.SFLV2).build()).globalWeights())).isGreaterThan(1e-3);
    }

    @Test
    void everyRoundReportsTopThreeAndPerplexityAndTheModelLearns() {
        List<RoundMetrics> rounds = run(small(Scheme.CENTRAL).optRounds(3).build()).rounds();
        int words = data.train().numClasses();
        double before = Double.POSITIVE_INFINITY;
        for (RoundMetrics r : rounds) {
            assertThat(r.top3Accuracy()).isBetween(r.testAccuracy(), 1.0);
            assertThat(r.perplexity()).isCloseTo(Math.exp(r.testLoss()), within(1e-9 * r.perplexity()));
            assertThat(r.perplexity()).isLessThan(before);
            before = r.perplexity();
        }
        // A uniform guess has perplexity |V|; the unigram frequencies alone do far better.
        assertThat(rounds.get(2).perplexity()).isLessThan(words / 4.0);
        assertThat(rounds.get(2).top3Accuracy()).isGreaterThan(0.15);
    }

    @ParameterizedTest
    @CsvSource({"fl, 1", "sl, 1", "sflv1, 1", "sflv1, 2", "sflv2, 1"})
    void bytesPerRoundMatchTheMessageSizes(String name, int cut) {
        Scheme scheme = Scheme.parse(name);
        RoundMetrics r = run(small(scheme).optCut(cut).optRounds(1).build()).rounds().get(0);
        long v = data.train().numClasses();
        long w = v * E + 4 * H * (E + H) + 8 * H + v * H + v;
        // Floats per sample at the cut: the embedded window (T x E) after stage 1, the LSTM's last output after stage 2.
        long q = cut == 1 ? T * E : H;
        long wc = cut == 1 ? v * E : v * E + 4 * H * (E + H) + 8 * H;
        long up = 0;
        long down = 0;
        for (int[] part : partition) {
            long n = part.length;
            long batches = (n + 31) / 32;
            if (scheme == Scheme.FL) {
                up += 4 * w + 4;
                down += 4 * w;
            } else {
                // smashed data + int32 labels + W_C + sample count; cut gradients + float loss per batch + W_C
                up += 4 * n * q + 4 * n + 4 * wc + 4;
                down += 4 * n * q + 4 * batches + 4 * wc;
            }
        }
        assertThat(r.bytesUp()).isEqualTo(up);
        assertThat(r.bytesDown()).isEqualTo(down);
        assertThat((double) r.predictedBytes()).isCloseTo(r.bytes(), within(0.01 * r.bytes()));
    }
}
