package dev.splitfed.internal.model;

import dev.splitfed.model.Architecture;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import java.util.Arrays;

/**
 * What a client of the U-shaped split holds (private labels; Vepakomma et al. 2018): the bottom
 * stages before the cut and the head after the main server's middle. Its flat vector is the
 * bottom's followed by the head's.
 */
public final class BottomAndHead implements Trainable {

    private final ModelPart bottom;
    private final ModelPart head;

    private BottomAndHead(ModelPart bottom, ModelPart head) {
        this.bottom = bottom;
        this.head = head;
    }

    /**
     * Builds the client's stages of {@code layout}, all parameters zero.
     *
     * @param architecture the network
     * @param layout a layout with private labels
     * @return the model
     */
    public static BottomAndHead create(Architecture architecture, SplitLayout layout) {
        if (!layout.privateLabels()) {
            throw new IllegalArgumentException("the layout keeps no head on the client");
        }
        ModelPart bottom = ModelPart.create(architecture, 0, layout.cut());
        try {
            return new BottomAndHead(bottom, ModelPart.create(architecture, layout.serverEnd(), layout.stages()));
        } catch (RuntimeException e) {
            bottom.close();
            throw e;
        }
    }

    /** Returns the stages before the cut. */
    public ModelPart bottom() {
        return bottom;
    }

    /** Returns the stages after the main server's middle. */
    public ModelPart head() {
        return head;
    }

    @Override
    public int size() {
        return bottom.size() + head.size();
    }

    /** Returns bottom ++ head. */
    @Override
    public float[] weights() {
        return SplitModel.concat(bottom.weights(), head.weights());
    }

    @Override
    public void setWeights(float[] weights) {
        if (weights.length != size()) {
            throw new IllegalArgumentException(
                    "weight vector has " + weights.length + " values, bottom and head need " + size());
        }
        bottom.setWeights(Arrays.copyOfRange(weights, 0, bottom.size()));
        head.setWeights(Arrays.copyOfRange(weights, bottom.size(), weights.length));
    }

    /** Returns the bottom's manager; a batch's arrays on the client live there. */
    @Override
    public NDManager manager() {
        return bottom.manager();
    }

    @Override
    public void step(Optimizer optimizer) {
        bottom.step(optimizer);
        head.step(optimizer);
    }

    @Override
    public float[] gradients() {
        return SplitModel.concat(bottom.gradients(), head.gradients());
    }

    @Override
    public void clearGradients() {
        bottom.clearGradients();
        head.clearGradients();
    }

    @Override
    public void step(Optimizer optimizer, float[] gradient) {
        if (gradient.length != size()) {
            throw new IllegalArgumentException("gradient has " + gradient.length + " values, bottom and head need " + size());
        }
        bottom.step(optimizer, Arrays.copyOfRange(gradient, 0, bottom.size()));
        head.step(optimizer, Arrays.copyOfRange(gradient, bottom.size(), gradient.length));
    }

    @Override
    public void close() {
        try {
            bottom.close();
        } finally {
            head.close();
        }
    }
}
