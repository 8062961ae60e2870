package dev.splitfed.internal.train;

import dev.splitfed.scheme.OptimizerSpec;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import dev.splitfed.internal.engine.Torch;
import java.util.HashMap;
import java.util.Map;

/**
 * FedProx's local step (Li et al. 2020, "Federated Optimization in Heterogeneous Networks",
 * equation 2): the party minimises its loss plus {@code mu/2 * ||w - w_start||^2}, so every
 * gradient it steps with gains {@code mu * (w - w_start)}, w_start being the weights the round
 * started from. Wrapping the optimizer puts that term on every step path — the accumulated
 * gradients of plain training and the privatised gradient of DP-SGD, where it is added after
 * clipping and noise (it does not depend on the data, so DP-SGD's guarantee is unchanged) — and
 * the wrapped optimizer (SGD with momentum, Adam) then treats the sum as its gradient.
 *
 * <p>A parameter's w_start is its value when this optimizer first updates it. Every party creates
 * a fresh optimizer when its round starts (see {@link OptimizerSpec}), and every step updates
 * every parameter, so that is the downloaded value.
 */
public final class ProximalOptimizer extends Optimizer implements AutoCloseable {

    private final Optimizer inner;
    private final float mu;
    private final Map<String, NDArray> start = new HashMap<>();

    /**
     * Creates the proximal step around an optimizer with fresh state.
     *
     * @param inner the party's optimizer, which takes the step
     * @param mu the proximal coefficient, {@code > 0}
     */
    public ProximalOptimizer(Optimizer inner, float mu) {
        super(new Settings());
        if (!(mu > 0) || Float.isInfinite(mu)) {
            throw new IllegalArgumentException("mu must be positive and finite, got " + mu);
        }
        this.inner = inner;
        this.mu = mu;
    }

    /**
     * Returns a new optimizer of {@code spec}, inside the proximal step when {@code mu > 0}.
     *
     * @param spec the optimizer
     * @param mu FedProx's mu, {@code >= 0}
     * @return the optimizer, with fresh state
     */
    public static Optimizer of(OptimizerSpec spec, double mu) {
        return mu > 0 ? new ProximalOptimizer(spec.newOptimizer(), (float) mu) : spec.newOptimizer();
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        NDArray anchor = start.get(parameterId);
        if (anchor == null) {
            // At w_start the term is zero: the first step is the inner optimizer's own.
            try (Torch.GradScope paused = Torch.pause()) {
                anchor = weight.duplicate();
            }
            start.put(parameterId, anchor);
            inner.update(parameterId, weight, grad);
            return;
        }
        try (NDManager scope = weight.getManager().newSubManager();
                Torch.GradScope paused = Torch.pause()) {
            NDArray distance = weight.sub(anchor);
            distance.attach(scope);
            NDArray proximal = distance.muli(mu).addi(grad);
            inner.update(parameterId, weight, proximal);
        }
    }

    /** DJL's optimizer settings, left at their defaults: the inner optimizer has its own. */
    /** Frees the anchors and the wrapped optimizer's state. */
    @Override
    public void close() {
        start.values().forEach(NDArray::close);
        start.clear();
        LocalTraining.release(inner);
    }

    private static final class Settings extends Optimizer.OptimizerBuilder<Settings> {
        @Override
        protected Settings self() {
            return this;
        }
    }
}
