package dev.splitfed.model;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/**
 * A multilayer perceptron for tabular data: dense 64, relu; dense 32, relu; dense classes.
 *
 * <p>Stages: 1 = flatten + dense 64, 2 = dense 32, 3 = output layer; cuts 1 and 2.
 */
final class Mlp implements Architecture {

    static final String NAME = "mlp";

    private final int[] inputShape;
    private final int numClasses;

    Mlp(int[] inputShape, int features, int numClasses) {
        this.inputShape = inputShape.clone();
        this.numClasses = numClasses;
        if (features < 1) {
            throw new IllegalArgumentException("features must be >= 1");
        }
    }

    @Override
    public String name() {
        return NAME;
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
        return 3;
    }

    @Override
    public Block stage(int stage) {
        switch (stage) {
            case 0:
                return new SequentialBlock()
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(64).build())
                        .add(Activation.reluBlock());
            case 1:
                return new SequentialBlock()
                        .add(Linear.builder().setUnits(32).build())
                        .add(Activation.reluBlock());
            case 2:
                return Linear.builder().setUnits(numClasses).build();
            default:
                throw new IllegalArgumentException("stage must be in [0, 3), got " + stage);
        }
    }
}
