package dev.splitfed.internal.role;

import dev.splitfed.InvalidInputException;

/**
 * Checks on what arrives from another role, wherever it arrives: a weight vector of the expected
 * length with finite values, finite activations and gradients, a positive sample count. Refused
 * input never reaches a model.
 */
final class Payloads {

    private Payloads() {}

    static float[] checkWeights(String sender, float[] weights, int expected) {
        if (weights.length != expected) {
            throw new InvalidInputException(sender + " sent " + weights.length + " weights, expected " + expected);
        }
        checkFinite(sender, "weights", weights);
        return weights;
    }

    static void checkFinite(String sender, String what, float[] values) {
        if (!allFinite(values)) {
            throw new InvalidInputException(sender + " sent " + what + " with a NaN or infinite value");
        }
    }

    static void checkSamples(int clientId, int samples) {
        if (samples < 1) {
            throw new InvalidInputException("client " + clientId + " reported " + samples + " samples, expected >= 1");
        }
    }

    /**
     * Refuses a client's own values (its activations, its trained weights) that are not finite
     * before they leave it: its model has diverged, and the receiving server would otherwise refuse
     * them as bad input from the client.
     */
    static float[] checkConverging(String what, float[] values, int clientId, int round) {
        if (!allFinite(values)) {
            throw new InvalidInputException(
                    "training diverged: client " + clientId + "'s " + what + " hold NaN or infinite values in round "
                            + round + "; try a smaller learning rate ({lr})");
        }
        return values;
    }

    static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Refuses a training loss that is not finite: the model has diverged, and applying the batch
     * would spread NaN into every weight.
     */
    static float checkLoss(float loss, int clientId, int round) {
        if (!Float.isFinite(loss)) {
            throw new InvalidInputException(
                    "training diverged: the loss of a batch of client " + clientId + " in round " + round + " is "
                            + loss + "; try a smaller learning rate ({lr})");
        }
        return loss;
    }
}
