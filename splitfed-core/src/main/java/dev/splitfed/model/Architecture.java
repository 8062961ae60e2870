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

    /** Returns the names of the models {@link #create} knows. */
    static List<String> names() {
        return List.of(LeNet5.NAME, Mlp.NAME, NextWord.NAME);
    }

    /**
     * Creates the named architecture for a data set, checking that the two fit: {@code next-word}
     * reads word indices, the others real-valued features.
     *
     * @param name {@code lenet5}, {@code mlp} or {@code next-word}
     * @param data the training set
     * @return the architecture
     * @throws InvalidInputException if the name is unknown or does not fit the data
     */
    static Architecture create(String name, Dataset data) {
        boolean tokens = data.kind() == Dataset.Kind.TOKENS;
        if (name.equals(NextWord.NAME) && !tokens) {
            throw new InvalidInputException("model next-word reads words, but " + data.name()
                    + " holds numeric features; use it with --dataset fortunes");
        }
        if (!name.equals(NextWord.NAME) && tokens && names().contains(name)) {
            throw new InvalidInputException("model " + name + " needs numeric features, but " + data.name()
                    + " holds words; use --model next-word");
        }
        return create(name, data.sampleShape(), data.numClasses());
    }

    /**
     * Creates the named architecture for inputs of the given shape.
     *
     * @param name {@code lenet5}, {@code mlp} or {@code next-word}
     * @param inputShape the shape of one sample
     * @param numClasses the number of classes
     * @return the architecture
     * @throws InvalidInputException if the name is unknown or does not fit the input shape
     */
    static Architecture create(String name, int[] inputShape, int numClasses) {
        switch (name) {
            case LeNet5.NAME:
                if (inputShape.length != 3) {
                    throw new InvalidInputException(
                            "model lenet5 needs image data (channels x height x width); use --model mlp for tabular data");
                }
                return new LeNet5(inputShape, numClasses);
            case Mlp.NAME:
                int features = 1;
                for (int d : inputShape) {
                    features *= d;
                }
                return new Mlp(inputShape, features, numClasses);
            case NextWord.NAME:
                if (inputShape.length != 1) {
                    throw new InvalidInputException("model next-word needs a window of word indices as input");
                }
                return new NextWord(inputShape, numClasses);
            default:
                throw new InvalidInputException(
                        "unknown model '" + name + "'; expected one of " + String.join(", ", names()));
        }
    }
}
