package dev.splitfed.internal.model;

import dev.splitfed.model.Architecture;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import java.util.Arrays;

/**
 * A whole network held by one party as its client-side and server-side parts, run back to back.
 *
 * <p>Its flat vector is the client-side vector followed by the server-side vector, so the same
 * layout serves FedAvg of whole models and the split schemes' two halves.
 */
public final class SplitModel implements Trainable {

    private final ModelPart client;
    private final ModelPart server;

    private SplitModel(ModelPart client, ModelPart server) {
        this.client = client;
        this.server = server;
    }

    /**
     * Builds the network cut at {@code cut}, all parameters zero.
     *
     * @param architecture the network
     * @param cut the cut, checked against the architecture
     * @return the model
     */
    public static SplitModel create(Architecture architecture, int cut) {
        architecture.checkCut(cut);
        ModelPart client = ModelPart.create(architecture, 0, cut);
        try {
            return new SplitModel(client, ModelPart.create(architecture, cut, architecture.stages()));
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Builds the network cut at {@code cut} from a whole flat vector.
     *
     * @param architecture the network
     * @param cut the cut
     * @param weights client-side values followed by server-side values
     * @return the model
     */
    public static SplitModel create(Architecture architecture, int cut, float[] weights) {
        SplitModel model = create(architecture, cut);
        try {
            model.setWeights(weights);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /** Returns the client-side part. */
    public ModelPart client() {
        return client;
    }

    /** Returns the server-side part. */
    public ModelPart server() {
        return server;
    }

    @Override
    public int size() {
        return client.size() + server.size();
    }

    /**
     * Runs the whole network forward.
     *
     * @param input a batch
     * @param training whether layers behave as in training
     * @return the logits
     */
    public NDArray forward(NDArray input, boolean training) {
        return server.forward(client.forward(input, training), training);
    }

    /** Returns the whole flat vector: client-side values, then server-side values. */
    @Override
    public float[] weights() {
        return concat(client.weights(), server.weights());
    }

    /**
     * Overwrites the whole network from a flat vector.
     *
     * @param weights client-side values followed by server-side values
     */
    @Override
    public void setWeights(float[] weights) {
        if (weights.length != size()) {
            throw new IllegalArgumentException(
                    "weight vector has " + weights.length + " values, the model needs " + size());
        }
        client.setWeights(Arrays.copyOfRange(weights, 0, client.size()));
        server.setWeights(Arrays.copyOfRange(weights, client.size(), weights.length));
    }

    @Override
    public float[] gradients() {
        return concat(client.gradients(), server.gradients());
    }

    /** Returns the client-side part's manager; batches flow through both parts from there. */
    @Override
    public NDManager manager() {
        return client.manager();
    }

    /**
     * Applies one optimizer step to both parts.
     *
     * @param optimizer the optimizer
     */
    @Override
    public void step(Optimizer optimizer) {
        client.step(optimizer);
        server.step(optimizer);
    }

    @Override
    public void clearGradients() {
        client.clearGradients();
        server.clearGradients();
    }

    @Override
    public void step(Optimizer optimizer, float[] gradient) {
        if (gradient.length != size()) {
            throw new IllegalArgumentException("gradient has " + gradient.length + " values, the model needs " + size());
        }
        client.step(optimizer, Arrays.copyOfRange(gradient, 0, client.size()));
        server.step(optimizer, Arrays.copyOfRange(gradient, client.size(), gradient.length));
    }

    /**
     * Returns the concatenation of two vectors.
     *
     * @param first the leading values
     * @param second the trailing values
     * @return a new vector
     */
    public static float[] concat(float[] first, float[] second) {
        float[] out = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, out, first.length, second.length);
        return out;
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            server.close();
        }
    }
}
