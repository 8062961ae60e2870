package dev.splitfed.model;

import dev.splitfed.InvalidInputException;
import dev.splitfed.data.Dataset;
import dev.splitfed.registry.Provider;
import dev.splitfed.registry.Registry;

/**
 * Makes a model, by the name a run's {@code model} setting gives, for the data set it trains on.
 *
 * <p>splitfed provides {@code lenet5}, {@code mlp}, {@code next-word} and {@code resnet18}. A jar adds a model by
 * implementing this interface (with a public no-argument constructor) and naming the class in
 * {@code META-INF/services/dev.splitfed.model.ModelProvider}; see {@link Registry}.
 */
public interface ModelProvider extends Provider {

    /**
     * Returns the registry of models: the built-in ones, then those {@link java.util.ServiceLoader}
     * finds, then those registered.
     *
     * @return the registry
     */
    static Registry<ModelProvider> registry() {
        return BuiltInModels.REGISTRY;
    }

    /**
     * Returns the kind of sample the model reads; {@link Architecture#create(String, Dataset)}
     * refuses a data set of the other kind.
     *
     * @return {@link Dataset.Kind#FEATURES} unless the model reads word indices
     */
    default Dataset.Kind reads() {
        return Dataset.Kind.FEATURES;
    }

    /**
     * Creates the model for samples of the given shape.
     *
     * @param inputShape the shape of one sample, e.g. {@code {1, 28, 28}}
     * @param numClasses the number of classes (for a language model, the vocabulary's size)
     * @return a new architecture
     * @throws InvalidInputException if the model cannot read samples of that shape
     */
    Architecture create(int[] inputShape, int numClasses);

    /**
     * Creates the model a spec names, {@code NAME} or {@code NAME:ARGUMENT} (for instance
     * {@code torchscript:DIR}). The default refuses an argument and calls {@link #create(int[], int)}.
     *
     * @param argument the text after the spec's colon, or null when there is none
     * @param inputShape the shape of one sample
     * @param numClasses the number of classes
     * @return a new architecture
     * @throws InvalidInputException if the argument is refused or the model cannot read samples of
     *     that shape
     */
    default Architecture create(String argument, int[] inputShape, int numClasses) {
        if (argument != null) {
            throw new InvalidInputException("model " + name() + " takes nothing after its name, got '" + name() + ":"
                    + argument + "'");
        }
        return create(inputShape, numClasses);
    }

    /**
     * Returns the learning rate a run uses when none is given.
     *
     * @param optimizer the local optimizer's name, {@code sgd} or {@code adam}, in any case
     * @return 0.01 unless the model says otherwise
     */
    default float defaultLearningRate(String optimizer) {
        return 0.01f;
    }
}
