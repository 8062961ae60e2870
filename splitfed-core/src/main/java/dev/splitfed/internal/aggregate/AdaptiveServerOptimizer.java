package dev.splitfed.internal.aggregate;

import dev.splitfed.InvalidInputException;
import java.util.Arrays;

/**
 * FedAdagrad, FedAdam and FedYogi (Reddi et al. 2021, "Adaptive Federated Optimization",
 * Algorithm 2): the round's aggregated update Δ is the negative pseudo-gradient, and per
 * coordinate
 *
 * <pre>
 * m &lt;- beta1 * m + (1 - beta1) * Δ
 * v &lt;- v + Δ²                                   (FedAdagrad)
 * v &lt;- beta2 * v + (1 - beta2) * Δ²              (FedAdam)
 * v &lt;- v - (1 - beta2) * Δ² * sign(v - Δ²)        (FedYogi)
 * x &lt;- x + eta * m / (sqrt(v) + tau)
 * </pre>
 *
 * with m starting at 0 and v at tau² (the algorithm's {@code v_{-1} >= tau²}). As in the paper
 * there is no bias correction. Arithmetic is in double per value; m and v are kept in float32,
 * the form a checkpoint stores, so a resumed run continues from exactly the same state.
 */
public final class AdaptiveServerOptimizer implements ServerOptimizer {

    /** How the second moment v is updated. */
    public enum Rule {
        /** {@code v <- v + Δ²}. */
        ADAGRAD,
        /** {@code v <- beta2 * v + (1 - beta2) * Δ²}. */
        ADAM,
        /** {@code v <- v - (1 - beta2) * Δ² * sign(v - Δ²)}. */
        YOGI
    }

    private final Rule rule;
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double tau;
    private float[] m;
    private float[] v;

    /**
     * Creates the optimizer with fresh moments.
     *
     * @param rule how v is updated
     * @param learningRate eta, the server learning rate, {@code > 0}
     * @param beta1 in {@code [0, 1)}
     * @param beta2 in {@code [0, 1)}; unused by {@link Rule#ADAGRAD}
     * @param tau the degree of adaptivity, {@code > 0}
     */
    public AdaptiveServerOptimizer(Rule rule, double learningRate, double beta1, double beta2, double tau) {
        if (rule == null || !(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)
                || !(tau > 0)) {
            throw new IllegalArgumentException("a rule, learningRate > 0, beta1 and beta2 in [0, 1) and tau > 0 expected");
        }
        this.rule = rule;
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.tau = tau;
    }

    @Override
    public float[] step(float[] global, float[] update) {
        if (m == null) {
            m = new float[global.length];
            v = new float[global.length];
            Arrays.fill(v, (float) (tau * tau));
        }
        if (global.length != m.length || update.length != m.length) {
            throw new IllegalArgumentException("the optimizer holds moments for " + m.length + " weights, got "
                    + global.length + " weights and an update of " + update.length);
        }
        float[] next = new float[global.length];
        for (int i = 0; i < next.length; i++) {
            double delta = update[i];
            double squared = delta * delta;
            m[i] = (float) (beta1 * m[i] + (1 - beta1) * delta);
            v[i] = (float) switch (rule) {
                case ADAGRAD -> v[i] + squared;
                case ADAM -> beta2 * v[i] + (1 - beta2) * squared;
                case YOGI -> v[i] - (1 - beta2) * squared * Math.signum(v[i] - squared);
            };
            next[i] = (float) (global[i] + learningRate * m[i] / (Math.sqrt(v[i]) + tau));
        }
        return next;
    }

    /** Returns m followed by v, or nothing before the first step. */
    @Override
    public float[] state() {
        if (m == null) {
            return new float[0];
        }
        float[] out = Arrays.copyOf(m, 2 * m.length);
        System.arraycopy(v, 0, out, m.length, v.length);
        return out;
    }

    @Override
    public void restore(float[] state) {
        if (state.length == 0) {
            m = null;
            v = null;
            return;
        }
        if (state.length % 2 != 0) {
            throw new InvalidInputException("the adaptive server optimizer's state must hold m and v, two vectors of "
                    + "one length, got " + state.length + " values");
        }
        int n = state.length / 2;
        for (int i = 0; i < state.length; i++) {
            if (!Float.isFinite(state[i]) || (i >= n && state[i] < 0)) {
                throw new InvalidInputException("the adaptive server optimizer's state to restore holds a value "
                        + state[i] + " at " + i + ", expected finite values and a non-negative v");
            }
        }
        m = Arrays.copyOf(state, n);
        v = Arrays.copyOfRange(state, n, state.length);
    }
}
