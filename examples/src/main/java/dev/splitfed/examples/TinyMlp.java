package dev.splitfed.examples;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.splitfed.model.Architecture;

/**
 * A three-stage multilayer perceptron defined outside splitfed: dense 16, relu; dense 16, relu;
 * dense classes. A cut after stage 1 or 2 puts the first one or two stages on the clients.
 *
 * <p>Any {@link Architecture} works the same way: it lists its stages as fresh DJL blocks, and
 * splitfed initialises them, cuts between them and moves their weights.
 */
public final class TinyMlp implements Architecture {

    private static final int HIDDEN = 16;

    private final int features;
    private final int numClasses;

    /**
     * Creates the network for flat samples.
     *
     * @param features the number of floats in one sample
     * @param numClasses the number of output classes
     */
    public TinyMlp(int features, int numClasses) {
        if (features < 1 || numClasses < 2) {
            throw new IllegalArgumentException(
                    "features must be >= 1 and numClasses >= 2, got " + features + " and " + numClasses);
        }
        this.features = features;
        this.numClasses = numClasses;
    }

    @Override
    public String name() {
        return "tiny-mlp";
    }

    @Override
    public int[] inputShape() {
        return new int[] {features};
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public int stages() {
        return 3;
    }

    @Override
    public Block stage(int stage) {
        switch (stage) {
            case 0:
            case 1:
                return new SequentialBlock()
                        .add(Linear.builder().setUnits(HIDDEN).build())
                        .add(Activation.reluBlock());
            case 2:
                return Linear.builder().setUnits(numClasses).build();
            default:
                throw new IllegalArgumentException("stage must be in [0, 3), got " + stage);
        }
    }
}
