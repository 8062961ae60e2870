package dev.splitfed.internal.model;

import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;

/** Layers a party trains: live in the engine, convertible to and from one flat weight vector. */
public interface Trainable extends AutoCloseable {

    /** Returns the number of parameters (the length of the flat vector). */
    int size();

    /** Returns a copy of the parameters as one flat vector. */
    float[] weights();

    /**
     * Overwrites every parameter from a flat vector.
     *
     * @param weights {@link #size()} values
     */
    void setWeights(float[] weights);

    /** Returns the manager to open per-batch sub-managers from. */
    NDManager manager();

    /**
     * Applies one optimizer step with the accumulated gradients, which the step then clears.
     *
     * @param optimizer the optimizer
     */
    void step(Optimizer optimizer);

    /**
     * Returns the accumulated gradients as one flat vector in the weights' layout (zeros for a
     * parameter that received none).
     */
    float[] gradients();

    /** Sets every accumulated gradient to zero. */
    void clearGradients();

    /**
     * Applies one optimizer step with the given gradient instead of the accumulated ones (which it
     * leaves as they are): how a privatised gradient (DP-SGD) reaches the weights.
     *
     * @param optimizer the optimizer
     * @param gradient {@link #size()} values in the weights' layout
     */
    void step(Optimizer optimizer, float[] gradient);

    @Override
    void close();
}
