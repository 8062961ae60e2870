package dev.splitfed.internal.model;

import dev.splitfed.model.Architecture;
import ai.djl.ndarray.NDArray;
import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.data.Tokenizer;
import dev.splitfed.internal.data.Vocabulary;
import dev.splitfed.internal.engine.Shapes;
import dev.splitfed.internal.engine.Torch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Suggests the next words of a text with a trained next-word model, as a keyboard would: the
 * text's last words form the context window, and the most probable vocabulary words follow.
 */
public final class NextWordPredictor {

    /**
     * A suggested word.
     *
     * @param word the word
     * @param probability the model's probability of it coming next
     */
    public record Suggestion(String word, double probability) {}

    private final Architecture architecture;
    private final float[] weights;
    private final Vocabulary vocabulary;

    /**
     * Creates a predictor.
     *
     * @param architecture a next-word network whose classes are the vocabulary's entries
     * @param weights the whole model, in architecture order
     * @param vocabulary the vocabulary it was trained with
     * @throws InvalidInputException if the model is not a next-word model of this vocabulary
     */
    public NextWordPredictor(Architecture architecture, float[] weights, Vocabulary vocabulary) {
        if (!architecture.languageModel()) {
            throw new InvalidInputException("model " + architecture.name() + " does not predict words; use a run of "
                    + "{model} next-word");
        }
        if (architecture.numClasses() != vocabulary.size()) {
            throw new InvalidInputException("the model predicts " + architecture.numClasses() + " entries, but the "
                    + "vocabulary has " + vocabulary.size());
        }
        this.architecture = architecture;
        this.weights = weights.clone();
        this.vocabulary = vocabulary;
    }

    /**
     * Returns the {@code count} most probable next words after {@code text}; the reserved entries
     * (padding, unknown, start) are never suggested.
     *
     * @param text what was typed so far; empty for the first word
     * @param count how many words to suggest, {@code >= 1}
     * @return the words, most probable first
     */
    public List<Suggestion> suggest(String text, int count) {
        if (count < 1) {
            throw new InvalidInputException("the number of suggestions must be at least 1, not " + count);
        }
        int[] ids = Tokenizer.words(text).stream().mapToInt(vocabulary::indexOf).toArray();
        int length = architecture.inputShape()[0];
        int[] window = Vocabulary.context(ids, ids.length, length);
        float[] input = new float[length];
        for (int j = 0; j < length; j++) {
            input[j] = window[j];
        }
        float[] probabilities;
        try (SplitModel model = SplitModel.create(architecture, 1, weights);
                Torch.GradScope paused = Torch.pause()) {
            NDArray x = model.client().manager().create(input, Shapes.batch(1, new int[] {length}));
            probabilities = model.forward(x, false).softmax(1).toFloatArray();
        }
        List<Suggestion> out = new ArrayList<>();
        IntStream.range(Vocabulary.START_INDEX + 1, probabilities.length)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -probabilities[i]).thenComparing(i -> i))
                .limit(count)
                .forEach(i -> out.add(new Suggestion(vocabulary.words().get(i), probabilities[i])));
        return out;
    }
}
