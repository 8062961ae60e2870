package dev.splitfed.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * LeNet-5 (LeCun et al. 1998) as the SplitFed paper (Thapa et al. 2022) and the PyTorch reference
 * use it: conv 5x5x6 pad 2, relu, maxpool 2; conv 5x5x16, relu, maxpool 2; dense 120, 84, classes.
 *
 * <p>Stages: 1 = first conv block, 2 = second conv block, 3 = flatten + dense 120, 4 = dense 84,
 * 5 = output layer. {@code --cut 1} (after the first conv block) is the paper's split.
 */
final class LeNet5 implements Architecture {

    static final String NAME = "lenet5";

    private final int[] inputShape;
    private final int numClasses;

    LeNet5(int[] inputShape, int numClasses) {
        this.inputShape = inputShape.clone();
        this.numClasses = numClasses;
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
        return 5;
    }

    @Override
    public Block stage(int stage) {
        switch (stage) {
            case 0:
                return convBlock(6, 2);
            case 1:
                return convBlock(16, 0);
            case 2:
                return new SequentialBlock()
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(120).build())
                        .add(Activation.reluBlock());
            case 3:
                return new SequentialBlock()
                        .add(Linear.builder().setUnits(84).build())
                        .add(Activation.reluBlock());
            case 4:
                return Linear.builder().setUnits(numClasses).build();
            default:
                throw new IllegalArgumentException("stage must be in [0, 5), got " + stage);
        }
    }

    private static Block convBlock(int filters, int padding) {
        return new SequentialBlock()
                .add(Conv2d.builder()
                        .setKernelShape(new Shape(5, 5))
                        .setFilters(filters)
                        .optPadding(new Shape(padding, padding))
                        .build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)));
    }
}
