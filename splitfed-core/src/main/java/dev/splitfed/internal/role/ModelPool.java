package dev.splitfed.internal.role;

import dev.splitfed.internal.model.Trainable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Models a run's clients borrow for a round and give back, so that a round of K clients does not
 * build K networks (allocating and zeroing every parameter) only to overwrite their weights and
 * free them again: clients that train one after another share one. A borrowed model holds the
 * previous borrower's weights, gradients and running statistics, all of which a client overwrites
 * when it writes the round's weights ({@link Trainable#setWeights}); a model a client failed with
 * is closed instead of given back.
 *
 * <p>Safe for use by several threads; closing it closes the idle models, and models given back
 * after that.
 */
public final class ModelPool implements AutoCloseable {

    private final Map<Class<?>, Deque<Trainable>> idle = new HashMap<>();
    private boolean closed;

    /**
     * Returns an idle model of a kind, or a new one.
     *
     * @param <M> the model's type
     * @param kind the kind of model, the same for every model {@code make} builds
     * @param make builds a new model of that kind
     * @return the model, to be given back or closed
     */
    @SuppressWarnings("unchecked")
    <M extends Trainable> M borrow(Class<?> kind, Supplier<M> make) {
        synchronized (this) {
            Deque<Trainable> free = idle.get(kind);
            if (free != null && !free.isEmpty()) {
                return (M) free.pop();
            }
        }
        return make.get();
    }

    /**
     * Takes a model back for the next borrower of its kind.
     *
     * @param kind the kind it was borrowed as
     * @param model the model
     */
    void giveBack(Class<?> kind, Trainable model) {
        synchronized (this) {
            if (!closed) {
                idle.computeIfAbsent(kind, k -> new ArrayDeque<>()).push(model);
                return;
            }
        }
        model.close();
    }

    @Override
    public void close() {
        List<Trainable> toClose = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(toClose::addAll);
            idle.clear();
        }
        toClose.forEach(Trainable::close);
    }
}
