package dev.splitfed.internal.aggregate;

import dev.splitfed.InvalidInputException;
import java.util.Arrays;

/**
 * A client's SCAFFOLD control variate c_i (Karimireddy et al. 2020, "SCAFFOLD: Stochastic Controlled
 * Averaging for Federated Learning", ICML, Algorithm 1): zero at the start, kept by the client from
 * round to round, and updated with option II after the client's local steps.
 *
 * <p>Each local step uses the gradient g - c_i + c, so {@link #correction} is c - c_i. After K
 * steps of learning rate lr from x to y_i, option II sets c_i+ = c_i - c + (x - y_i) / (K lr), and
 * the client hands in delta c_i = c_i+ - c_i with its weights. On the wire the server's c travels
 * after the weights in the download, delta c_i after the weights in the submission
 * ({@link #join}, {@link #weightsOf}, {@link #variateOf}).
 *
 * <p>Not thread-safe: one client's state, used by that client alone.
 */
public final class ControlVariate {

    private final float[] ci;

    /**
     * Creates a control variate of zeros.
     *
     * @param size the length of the vector it corrects
     */
    public ControlVariate(int size) {
        this.ci = new float[size];
    }

    /**
     * Creates a copy of another control variate, to be updated while the original stays as it was.
     *
     * @param other the control variate to copy
     */
    public ControlVariate(ControlVariate other) {
        this.ci = other.ci.clone();
    }

    /** Returns a copy of c_i. */
    public float[] value() {
        return ci.clone();
    }

    /**
     * Returns c - c_i, what every local step adds to its gradient.
     *
     * @param c the server's control variate of the round
     * @return a new vector
     */
    public float[] correction(float[] c) {
        checkLength("the server's control variate", c.length);
        float[] out = new float[ci.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = c[j] - ci[j];
        }
        return out;
    }

    /**
     * Applies option II after the round's local steps: c_i+ = c_i - c + (x - y_i) / (K lr), keeps
     * c_i+ and returns delta c_i = c_i+ - c_i.
     *
     * @param start x, the weights the client started the round from
     * @param trained y_i, its weights after K local steps
     * @param c the server's control variate of the round
     * @param steps K, the local steps taken, {@code >= 1}
     * @param learningRate lr, the local learning rate, {@code > 0}
     * @return delta c_i, a new vector
     */
    public float[] update(float[] start, float[] trained, float[] c, long steps, float learningRate) {
        checkLength("the start weights", start.length);
        checkLength("the trained weights", trained.length);
        checkLength("the server's control variate", c.length);
        if (steps < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("SCAFFOLD needs K >= 1 steps and lr > 0, got " + steps + " and " + learningRate);
        }
        double scale = 1.0 / (steps * (double) learningRate);
        float[] delta = new float[ci.length];
        for (int j = 0; j < ci.length; j++) {
            float next = (float) (ci[j] - c[j] + (start[j] - (double) trained[j]) * scale);
            delta[j] = next - ci[j];
            ci[j] = next;
        }
        return delta;
    }

    private void checkLength(String what, int length) {
        if (length != ci.length) {
            throw new IllegalArgumentException(what + " has " + length + " values, the control variate " + ci.length);
        }
    }

    /**
     * Returns a message of weights followed by a control variate (c down, delta c_i up).
     *
     * @param weights the weights
     * @param variate a vector of the same length
     * @return weights ++ variate
     */
    public static float[] join(float[] weights, float[] variate) {
        if (weights.length != variate.length) {
            throw new IllegalArgumentException(
                    "weights and control variate differ in length: " + weights.length + " and " + variate.length);
        }
        float[] out = Arrays.copyOf(weights, 2 * weights.length);
        System.arraycopy(variate, 0, out, weights.length, variate.length);
        return out;
    }

    /**
     * Returns the weights of a message of weights followed by a control variate.
     *
     * @param message weights ++ variate
     * @return the first half
     * @throws InvalidInputException if the message has an odd length
     */
    public static float[] weightsOf(float[] message) {
        return Arrays.copyOfRange(message, 0, half(message));
    }

    /**
     * Returns the control variate of a message of weights followed by a control variate.
     *
     * @param message weights ++ variate
     * @return the second half
     * @throws InvalidInputException if the message has an odd length
     */
    public static float[] variateOf(float[] message) {
        return Arrays.copyOfRange(message, half(message), message.length);
    }

    private static int half(float[] message) {
        if (message.length % 2 != 0) {
            throw new InvalidInputException("a SCAFFOLD message holds weights and a control variate of the same length, "
                    + "but it has an odd number of values, " + message.length);
        }
        return message.length / 2;
    }
}
