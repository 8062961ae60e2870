package dev.splitfed.model;

import ai.djl.nn.Block;
import dev.splitfed.InvalidInputException;
import dev.splitfed.data.Dataset;
import java.util.List;

/**
 * A neural network described as a sequence of stages; a cut after stage {@code c} puts stages
 * {@code [0, c)} on the client and {@code [c, stages())} on the main server.
 */
public interface Architecture {

    /** Returns the name used on the command line, e.g. {@code lenet5}. */
    String name();

    /** Returns the shape of one input sample, e.g. {@code {1, 28, 28}}. */
    int[] inputShape();

    /** Returns the number of output classes. */
    int numClasses();

    /**
     * Returns whether this network predicts the next word, so that its evaluation reports top-3
     * accuracy and perplexity as well.
     */
    default boolean languageModel() {
        return false;
    }

    /**
     * Returns whether the stages come with the weights training starts from (a TorchScript
     * export's, possibly pretrained), rather than being drawn from the run seed with PyTorch's
     * default initialisation.
     *
     * @return false unless the architecture says otherwise
     */
    default boolean carriesWeights() {
        return false;
    }

    /** Returns the number of stages; valid cuts are {@code 1 .. stages() - 1}. */
    int stages();

    /**
     * Builds a fresh, uninitialised block for one stage.
     *
     * @param stage the stage index, {@code 0 <= stage < stages()}
     * @return the stage's layers
     */
    Block stage(int stage);

    /**
     * Checks that {@code cut} splits this network into two non-empty parts.
     *
     * @param cut the requested cut
     * @return {@code cut}
     * @throws InvalidInputException if the cut is out of range
     */
    default int checkCut(int cut) {
        if (cut < 1 || cut >= stages()) {
            throw new InvalidInputException(
                    "cut " + cut + " is out of range for " + name() + ": expected 1 to " + (stages() - 1)
                            + " (cut after stage 1 .. " + (stages() - 1) + ")");
        }
        return cut;
    }

    /**
     * Returns the names of the models {@link #create} knows: those of {@link ModelProvider#registry()}.
     *
     * @return the names, the built-in ones first
     */
    static List<String> names() {
        return ModelProvider.registry().names();
    }

    /**
     * Creates the named architecture for a data set, checking that the two fit: a model that
     * reads word indices ({@code next-word}) needs a data set of words, the others real-valued
     * features.
     *
     * @param name a name from {@link #names()}, e.g. {@code lenet5}, {@code mlp} or {@code next-word}
     * @param data the training set
     * @return the architecture
     * @throws InvalidInputException if the name is unknown or does not fit the data
     */
    static Architecture create(String name, Dataset data) {
        return ModelProvider.registry().parse(name, (provider, argument) -> create(provider, argument, name, data));
    }

    private static Architecture create(ModelProvider provider, String argument, String name, Dataset data) {
        boolean tokens = data.kind() == Dataset.Kind.TOKENS;
        boolean readsTokens = provider.reads() == Dataset.Kind.TOKENS;
        if (readsTokens && !tokens) {
            throw new InvalidInputException("model " + name + " reads words, but " + data.name()
                    + " holds numeric features; use it with {dataset} fortunes");
        }
        if (!readsTokens && tokens) {
            throw new InvalidInputException("model " + name + " needs numeric features, but " + data.name()
                    + " holds words; use {model} next-word");
        }
        return provider.create(argument, data.sampleShape(), data.numClasses());
    }

    /**
     * Creates the named architecture for inputs of the given shape.
     *
     * @param name a name from {@link #names()}, e.g. {@code lenet5}, {@code mlp} or {@code next-word}
     * @param inputShape the shape of one sample
     * @param numClasses the number of classes
     * @return the architecture
     * @throws InvalidInputException if the name is unknown or does not fit the input shape
     */
    static Architecture create(String name, int[] inputShape, int numClasses) {
        return ModelProvider.registry().parse(name, (provider, argument) -> provider.create(argument, inputShape,
                numClasses));
    }
}
