package dev.splitfed.scheme;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.train.InPlaceSgd;
import java.util.Locale;

/**
 * Which local optimizer every party uses and with what settings. Both are element-wise, so
 * splitting a model between two optimizers changes nothing (the SFLV1 = FedAvg invariant).
 *
 * <p>Each party starts every round with fresh optimizer state: a round begins with weights that
 * were just downloaded or averaged, and momentum gathered on other weights would not describe them.
 *
 * @param name {@code sgd} or {@code adam}
 * @param learningRate the step size, {@code > 0}
 * @param momentum SGD momentum in {@code [0, 1)}; ignored by Adam (beta1 = 0.9, beta2 = 0.999)
 */
public record OptimizerSpec(String name, float learningRate, float momentum) {

    /** Checks the settings. */
    public OptimizerSpec {
        name = name.toLowerCase(Locale.ROOT);
        if (!name.equals("sgd") && !name.equals("adam")) {
            throw new InvalidInputException("unknown {optimizer} '" + name + "'; expected sgd or adam");
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new InvalidInputException("{lr} must be a positive number, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new InvalidInputException("{momentum} must be in [0, 1), got " + momentum);
        }
    }

    /**
     * Returns a new optimizer with empty state.
     *
     * @return the optimizer
     */
    public Optimizer newOptimizer() {
        if (name.equals("adam")) {
            return Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build();
        }
        return new InPlaceSgd(learningRate, momentum);
    }
}
