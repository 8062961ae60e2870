package dev.splitfed.model;

import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.model.NextWordPredictor;
import dev.splitfed.internal.model.SplitModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import dev.splitfed.InvalidInputException;
import dev.splitfed.data.Dataset;
import dev.splitfed.internal.data.Vocabulary;
import dev.splitfed.internal.engine.Shapes;
import dev.splitfed.internal.scheme.Evaluation;
import dev.splitfed.scheme.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The next-word network against an independent forward pass written out from the LSTM equations
 * (PyTorch's gate order i, f, g, o), and its evaluation's top-3 accuracy and perplexity against
 * the same reference.
 */
class NextWordTest {

    private static final int V = 11;
    private static final int T = 8;
    private static final int E = NextWord.EMBEDDING;
    private static final int H = NextWord.HIDDEN;

    private static final Architecture NET = Architecture.create("next-word", new int[] {T}, V);

    /** Weights PyTorch's default initialisation would draw, scaled up so the gates leave their linear range. */
    private static float[] weights() {
        float[] w = Simulation.initialWeights(NET, 1, 3);
        for (int i = 0; i < w.length; i++) {
            w[i] *= 3;
        }
        return w;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Logits by hand: embedding lookup, T LSTM steps from zero state, output layer on the last h. */
    private static double[] reference(float[] w, int[] window) {
        int emb = 0;
        int wih = emb + V * E;
        int whh = wih + 4 * H * E;
        int bih = whh + 4 * H * H;
        int bhh = bih + 4 * H;
        int wout = bhh + 4 * H;
        int bout = wout + V * H;
        assertThat(bout + V).isEqualTo(w.length);
        double[] h = new double[H];
        double[] c = new double[H];
        for (int t = 0; t < T; t++) {
            double[] gates = new double[4 * H];
            for (int r = 0; r < 4 * H; r++) {
                double g = w[bih + r] + w[bhh + r];
                for (int j = 0; j < E; j++) {
                    g += w[wih + r * E + j] * w[emb + window[t] * E + j];
                }
                for (int j = 0; j < H; j++) {
                    g += w[whh + r * H + j] * h[j];
                }
                gates[r] = g;
            }
            for (int u = 0; u < H; u++) {
                double in = sigmoid(gates[u]);
                double forget = sigmoid(gates[H + u]);
                double cell = Math.tanh(gates[2 * H + u]);
                double out = sigmoid(gates[3 * H + u]);
                c[u] = forget * c[u] + in * cell;
                h[u] = out * Math.tanh(c[u]);
            }
        }
        double[] logits = new double[V];
        for (int v = 0; v < V; v++) {
            logits[v] = w[bout + v];
            for (int u = 0; u < H; u++) {
                logits[v] += w[wout + v * H + u] * h[u];
            }
        }
        return logits;
    }

    private static int[][] windows(int n, long seed) {
        Random random = new Random(seed);
        int[][] out = new int[n][T];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < T; t++) {
                out[i][t] = random.nextInt(V);
            }
        }
        return out;
    }

    @Test
    void stagesCutAfterTheEmbeddingAndAfterTheLstm() {
        assertThat(NET.stages()).isEqualTo(3);
        assertThat(NET.languageModel()).isTrue();
        try (ModelPart embedding = ModelPart.create(NET, 0, 1);
                ModelPart recurrent = ModelPart.create(NET, 1, 2);
                ModelPart output = ModelPart.create(NET, 2, 3);
                ModelPart bottom = ModelPart.create(NET, 0, 2)) {
            assertThat(embedding.outputShape()).containsExactly(T, E);
            assertThat(bottom.outputShape()).containsExactly(H);
            assertThat(embedding.size()).isEqualTo(V * E);
            assertThat(recurrent.size()).isEqualTo(4 * H * E + 4 * H * H + 8 * H);
            assertThat(output.size()).isEqualTo(V * H + V);
        }
    }

    @Test
    void forwardMatchesTheLstmEquations() {
        float[] w = weights();
        int[][] windows = windows(5, 7);
        float[] input = new float[windows.length * T];
        for (int i = 0; i < windows.length; i++) {
            for (int t = 0; t < T; t++) {
                input[i * T + t] = windows[i][t];
            }
        }
        for (int cut = 1; cut <= 2; cut++) {
            try (SplitModel model = SplitModel.create(NET, cut, w)) {
                NDArray x = model.client().manager().create(input, Shapes.batch(windows.length, new int[] {T}));
                float[] logits = model.forward(x, false).toFloatArray();
                for (int i = 0; i < windows.length; i++) {
                    double[] expected = reference(w, windows[i]);
                    for (int v = 0; v < V; v++) {
                        assertThat((double) logits[i * V + v]).as("cut %d sample %d word %d", cut, i, v)
                                .isCloseTo(expected[v], within(1e-4));
                    }
                }
            }
        }
    }

    @Test
    void evaluationCountsTopThreeAndPerplexityAsTheReferenceDoes() {
        float[] w = weights();
        int n = 300;
        int[][] windows = windows(n, 11);
        Random random = new Random(13);
        float[] features = new float[n * T];
        int[] labels = new int[n];
        long top1 = 0;
        long top3 = 0;
        double nll = 0;
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < T; t++) {
                features[i * T + t] = windows[i][t];
            }
            labels[i] = random.nextInt(V);
            double[] z = reference(w, windows[i]);
            int higher = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (double zv : z) {
                higher += zv > z[labels[i]] ? 1 : 0;
                max = Math.max(max, zv);
            }
            top1 += higher == 0 ? 1 : 0;
            top3 += higher < 3 ? 1 : 0;
            double sum = 0;
            for (double zv : z) {
                sum += Math.exp(zv - max);
            }
            nll += max + Math.log(sum) - z[labels[i]];
        }
        List<String> words = new ArrayList<>(List.of("<pad>", "<unk>", "<s>"));
        for (int v = 3; v < V; v++) {
            words.add("w" + v);
        }
        Dataset data = new Dataset("t", features, labels, new int[] {T}, words, Dataset.Kind.TOKENS, null, List.of());
        Evaluation eval = Evaluation.of(NET, 1, w, data);
        assertThat(top3).as("the test separates top-1 from top-3").isGreaterThan(top1 + 20);
        assertThat(eval.accuracy()).isEqualTo((double) top1 / n);
        assertThat(eval.top3Accuracy()).isEqualTo((double) top3 / n);
        assertThat(eval.loss()).isCloseTo(nll / n, within(1e-5));
        assertThat(eval.perplexity()).isCloseTo(Math.exp(nll / n), within(1e-4));
        // A diverged model's NaN logits compare false everywhere; they must not count as top-3 hits.
        float[] diverged = w.clone();
        java.util.Arrays.fill(diverged, w.length - V, w.length, Float.NaN);
        Evaluation nan = Evaluation.of(NET, 1, diverged, data);
        assertThat(nan.top3Accuracy()).isZero();
        assertThat(nan.loss()).isNaN();
    }

    @Test
    void predictorSuggestsTheMostProbableWordsAndNeverAReservedEntry() {
        float[] w = weights();
        List<String> words = new ArrayList<>(List.of("<pad>", "<unk>", "<s>"));
        for (int v = 3; v < V; v++) {
            words.add("w" + v);
        }
        Vocabulary vocabulary = Vocabulary.of(words);
        NextWordPredictor predictor = new NextWordPredictor(NET, w, vocabulary);
        // "w5 nonsense w7" is <pad> x 4, <s>, w5, <unk>, w7.
        double[] z = reference(w, new int[] {0, 0, 0, 0, 2, 5, 1, 7});
        double max = java.util.Arrays.stream(z).max().orElseThrow();
        double sum = java.util.Arrays.stream(z).map(v -> Math.exp(v - max)).sum();
        List<NextWordPredictor.Suggestion> top = predictor.suggest("W5 nonsense, w7", 3);
        assertThat(top).hasSize(3);
        int best = 3;
        for (int v = 3; v < V; v++) {
            best = z[v] > z[best] ? v : best;
        }
        assertThat(top.get(0).word()).isEqualTo("w" + best);
        assertThat(top.get(0).probability()).isCloseTo(Math.exp(z[best] - max) / sum, within(1e-5));
        assertThat(top.get(0).probability()).isGreaterThanOrEqualTo(top.get(1).probability());
        assertThat(predictor.suggest("", 8)).extracting(NextWordPredictor.Suggestion::word).doesNotContain("<pad>", "<unk>", "<s>");
        assertThatThrownBy(() -> predictor.suggest("x", 0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new NextWordPredictor(Architecture.create("mlp", new int[] {T}, V), w, vocabulary))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void cutOneSmashedDataGiveEveryWordBackToWhoeverHoldsTheEmbedding() {
        // The README's privacy note: at cut 1 the smashed data are rows of W_C, so the nearest row is the word.
        float[] w = weights();
        int[][] windows = windows(40, 17);
        float[] input = new float[windows.length * T];
        for (int i = 0; i < windows.length; i++) {
            for (int t = 0; t < T; t++) {
                input[i * T + t] = windows[i][t];
            }
        }
        float[] smashed;
        try (ModelPart bottom = ModelPart.create(NET, 0, 1, java.util.Arrays.copyOf(w, V * E))) {
            smashed = bottom.forward(bottom.manager().create(input, Shapes.batch(windows.length, new int[] {T})), false)
                    .toFloatArray();
        }
        for (int i = 0; i < windows.length; i++) {
            for (int t = 0; t < T; t++) {
                int offset = (i * T + t) * E;
                int nearest = -1;
                double best = Double.POSITIVE_INFINITY;
                for (int v = 0; v < V; v++) {
                    double d = 0;
                    for (int j = 0; j < E; j++) {
                        double diff = smashed[offset + j] - w[v * E + j];
                        d += diff * diff;
                    }
                    if (d < best) {
                        best = d;
                        nearest = v;
                    }
                }
                assertThat(nearest).isEqualTo(windows[i][t]);
                assertThat(best).isZero();
            }
        }
    }

    @Test
    void modelsAndDataMustAgreeOnWordsOrFeatures() {
        Dataset words = new Dataset("fortunes", new float[T], new int[1], new int[] {T},
                List.of("<pad>", "<unk>", "<s>", "a"), Dataset.Kind.TOKENS, null, List.of());
        Dataset numbers = new Dataset("breast-cancer", new float[T], new int[1], new int[] {T}, List.of("a", "b"));
        assertThatThrownBy(() -> Architecture.create("next-word", numbers)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dataset fortunes");
        assertThatThrownBy(() -> Architecture.create("mlp", words)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("model next-word");
        assertThat(Architecture.create("next-word", words).numClasses()).isEqualTo(4);
    }
}
