package dev.splitfed.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * ResNet-18 (He et al. 2016) as torchvision defines it: a 7x7 stride-2 convolution with batch
 * normalisation, relu and a 3x3 stride-2 max pool; four stages of two basic blocks (64, 128, 256,
 * 512 channels, the last three halving the resolution, their first block with a 1x1 convolution
 * and batch normalisation on the shortcut); a global average pool and the output layer. The input
 * channels and the classes come from the data; convolutions have no bias, as in torchvision.
 *
 * <p>Stages: 0 = stem, 1 = layer1, 2 = layer2, 3 = layer3, 4 = layer4, 5 = head, so {@code --cut 1}
 * to {@code 5}; the plain-PyTorch reference's {@code resnet18_stages} defines the same network stage
 * for stage, and its parameters are in the order of PyTorch's {@code state_dict} (batch
 * normalisation: weight, bias, running mean, running variance; no {@code num_batches_tracked}).
 */
final class ResNet18 implements Architecture {

    static final String NAME = "resnet18";

    /** PyTorch's batch-normalisation defaults: running = 0.9 running + 0.1 batch, eps 1e-5. */
    private static final float BN_MOMENTUM = 0.9f;

    private static final float BN_EPSILON = 1e-5f;

    private final int[] inputShape;
    private final int numClasses;
    private final int width;

    ResNet18(int[] inputShape, int numClasses) {
        this(inputShape, numClasses, 64);
    }

    /**
     * Creates the network with another base width: layer i has {@code width * 2^(i-1)} channels
     * (64 in ResNet-18; a smaller one keeps test fixtures small).
     */
    ResNet18(int[] inputShape, int numClasses, int width) {
        this.inputShape = inputShape.clone();
        this.numClasses = numClasses;
        this.width = width;
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
        return 6;
    }

    @Override
    public Block stage(int stage) {
        switch (stage) {
            case 0:
                return new SequentialBlock()
                        .add(conv(width, 7, 2, 3))
                        .add(batchNorm())
                        .add(Activation.reluBlock())
                        .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
            case 1:
                return layer(width, 1);
            case 2:
                return layer(width * 2, 2);
            case 3:
                return layer(width * 4, 2);
            case 4:
                return layer(width * 8, 2);
            case 5:
                return new SequentialBlock()
                        .add(Pool.globalAvgPool2dBlock())
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(numClasses).build());
            default:
                throw new IllegalArgumentException("stage must be in [0, 6), got " + stage);
        }
    }

    /** Two basic blocks; the first changes the resolution (and the channels) when stride is 2. */
    private static Block layer(int channels, int stride) {
        return new SequentialBlock().add(basicBlock(channels, stride, stride != 1)).add(basicBlock(channels, 1, false));
    }

    /**
     * A basic block: conv 3x3, batch norm, relu, conv 3x3, batch norm, plus the shortcut (the input,
     * or a 1x1 convolution with batch norm when the shape changes), relu.
     */
    private static Block basicBlock(int channels, int stride, boolean downsample) {
        Block residual = new SequentialBlock()
                .add(conv(channels, 3, stride, 1))
                .add(batchNorm())
                .add(Activation.reluBlock())
                .add(conv(channels, 3, 1, 1))
                .add(batchNorm());
        Block shortcut = downsample
                ? new SequentialBlock().add(conv(channels, 1, stride, 0)).add(batchNorm())
                : Blocks.identityBlock();
        return new SequentialBlock()
                .add(new ParallelBlock(
                        list -> new NDList(list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow())),
                        List.of(residual, shortcut)))
                .add(Activation.reluBlock());
    }

    private static Block conv(int filters, int kernel, int stride, int padding) {
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .setFilters(filters)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optBias(false)
                .build();
    }

    private static Block batchNorm() {
        return BatchNorm.builder().optMomentum(BN_MOMENTUM).optEpsilon(BN_EPSILON).build();
    }
}
