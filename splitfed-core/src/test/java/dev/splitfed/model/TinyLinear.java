package dev.splitfed.model;

import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import dev.splitfed.InvalidInputException;

/**
 * A model defined outside splitfed's sources, found through
 * {@code plugins/extensions/META-INF/services}: two dense layers, cut between them.
 */
public final class TinyLinear implements Architecture {

    private final int[] inputShape;
    private final int numClasses;

    TinyLinear(int[] inputShape, int numClasses) {
        this.inputShape = inputShape.clone();
        this.numClasses = numClasses;
    }

    @Override
    public String name() {
        return "tiny-linear";
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public int stages() {
        return 2;
    }

    @Override
    public Block stage(int stage) {
        return Linear.builder().setUnits(stage == 0 ? 4 : numClasses).build();
    }

    /** Provides {@code tiny-linear}, with its own default learning rate. */
    public static final class Provider implements ModelProvider {

        @Override
        public String name() {
            return "tiny-linear";
        }

        @Override
        public Architecture create(int[] inputShape, int numClasses) {
            if (inputShape.length != 1) {
                throw new InvalidInputException("model tiny-linear needs a vector of features as input");
            }
            return new TinyLinear(inputShape, numClasses);
        }

        @Override
        public float defaultLearningRate(String optimizer) {
            return 0.2f;
        }
    }
}
