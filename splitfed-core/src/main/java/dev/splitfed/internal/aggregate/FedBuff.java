package dev.splitfed.internal.aggregate;

import dev.splitfed.aggregate.ClientUpdate;
import dev.splitfed.InvalidInputException;
import dev.splitfed.hetero.FedBuffConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A server's side of asynchronous buffered aggregation (FedBuff; Nguyen et al. 2022, "Federated
 * Learning with Buffered Asynchronous Aggregation", Algorithm 1). A client that starts gets the
 * current weights, which are remembered as its start; when it hands in, its update against that
 * start is weighted by its staleness {@code s(tau) = 1 / sqrt(1 + tau)}, tau being the server
 * steps taken since it started, and buffered. A server step applies the buffer through the run's
 * {@link Aggregation} and empties it:
 *
 * <pre>
 *   global &lt;- optimizer.step(global, aggregator({eta s(tau_k) delta_k}))
 * </pre>
 *
 * <p>With FedAvg's aggregator and equal sample counts this is the paper's
 * {@code global + eta (1/K) sum_k s(tau_k) delta_k}; with unequal ones each update is weighted by
 * its samples, as in the synchronous rounds.
 */
public final class FedBuff {

    private final double lr;
    private final Map<Integer, Start> inFlight = new HashMap<>();
    private final List<ClientUpdate> buffer = new ArrayList<>();
    private long version;

    /**
     * Creates the buffer.
     *
     * @param lr eta, the server learning rate
     */
    public FedBuff(double lr) {
        this.lr = lr;
    }

    /**
     * Records that a client starts a job from the given weights.
     *
     * @param clientId the client
     * @param job the client's job number, which it names in its messages
     * @param global the current global weights; copied
     */
    public void start(int clientId, int job, float[] global) {
        inFlight.put(clientId, new Start(job, version, global.clone()));
    }

    /**
     * Returns the weights a client started its current job from.
     *
     * @param clientId the client
     * @param job the job the client names
     * @return the weights; the caller must not modify them
     * @throws InvalidInputException if the client is not in that job
     */
    public float[] startWeights(int clientId, int job) {
        Start start = inFlight.get(clientId);
        if (start == null || start.job != job) {
            throw new InvalidInputException("client " + clientId + " sent a message for job " + job + ", but "
                    + (start == null ? "it has no job in flight" : "its job in flight is " + start.job));
        }
        return start.weights;
    }

    /**
     * Buffers a client's trained weights as its staleness-weighted update and ends its job.
     *
     * @param clientId the client
     * @param trained its trained weights
     * @param samples the samples behind them, {@code >= 1}
     */
    public void arrived(int clientId, float[] trained, long samples) {
        Start start = inFlight.remove(clientId);
        if (start == null) {
            throw new IllegalStateException("client " + clientId + " has no job in flight");
        }
        ClientUpdate update = ClientUpdate.between(clientId, trained, start.weights, samples);
        float scale = (float) (lr * FedBuffConfig.staleness(version - start.version));
        float[] delta = update.delta();
        for (int i = 0; i < delta.length; i++) {
            delta[i] *= scale;
        }
        buffer.add(update);
    }

    /**
     * Ends a client's job without an update.
     *
     * @param clientId the client
     */
    public void forget(int clientId) {
        inFlight.remove(clientId);
    }

    /** Returns how many updates wait in the buffer. */
    public int buffered() {
        return buffer.size();
    }

    /**
     * Takes a server step: applies the buffered updates and empties the buffer.
     *
     * @param global the current global weights; not modified
     * @param aggregation how the updates are combined and applied
     * @return the next global weights
     */
    public float[] step(float[] global, Aggregation aggregation) {
        float[] next = aggregation.apply(global, List.copyOf(buffer));
        buffer.clear();
        version++;
        return next;
    }

    private record Start(int job, long version, float[] weights) {}
}
