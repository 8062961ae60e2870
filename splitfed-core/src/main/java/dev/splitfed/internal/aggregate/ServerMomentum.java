package dev.splitfed.internal.aggregate;

import dev.splitfed.InvalidInputException;

/**
 * FedAvgM: server SGD with momentum on the pseudo-gradient (Hsu et al. 2019, "Measuring the
 * Effects of Non-Identical Data Distribution for Federated Visual Classification"; Reddi et al.
 * 2021, Section 3): with Δ the round's aggregated update, {@code m <- beta * m + Δ} and
 * {@code x <- x + eta * m}, m starting at 0. With beta = 0 and eta = 1 it is plain FedAvg.
 */
public final class ServerMomentum implements ServerOptimizer {

    private final double learningRate;
    private final double momentum;
    private float[] m;

    /**
     * Creates the optimizer with no momentum gathered yet.
     *
     * @param learningRate eta, the server learning rate, {@code > 0}
     * @param momentum beta, in {@code [0, 1)}
     */
    public ServerMomentum(double learningRate, double momentum) {
        if (!(learningRate > 0) || !(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("learningRate > 0 and momentum in [0, 1) expected");
        }
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    @Override
    public float[] step(float[] global, float[] update) {
        if (m == null) {
            m = new float[global.length];
        }
        if (global.length != m.length || update.length != m.length) {
            throw new IllegalArgumentException("FedAvgM holds momentum for " + m.length + " weights, got "
                    + global.length + " weights and an update of " + update.length);
        }
        float[] next = new float[global.length];
        for (int i = 0; i < next.length; i++) {
            m[i] = (float) (momentum * m[i] + update[i]);
            next[i] = (float) (global[i] + learningRate * m[i]);
        }
        return next;
    }

    @Override
    public float[] state() {
        return m == null ? new float[0] : m.clone();
    }

    @Override
    public void restore(float[] state) {
        if (state.length == 0) {
            m = null;
            return;
        }
        for (float value : state) {
            if (!Float.isFinite(value)) {
                throw new InvalidInputException("the FedAvgM momentum to restore holds NaN or infinite values");
            }
        }
        m = state.clone();
    }
}
