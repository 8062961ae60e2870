package dev.splitfed.aggregate;

import java.util.Comparator;
import java.util.List;

/**
 * Federated averaging (McMahan et al. 2017, "Communication-Efficient Learning of Deep Networks
 * from Decentralized Data", Algorithm 1): the mean of the clients' weights, each weighted by its
 * number of training samples, {@code w = sum_k (n_k / n) w_k}.
 *
 * <p>Updates are summed in client-id order so the result does not depend on arrival order.
 */
public final class FedAvg implements Aggregator {

    @Override
    public float[] aggregate(List<ClientUpdate> updates) {
        if (updates.isEmpty()) {
            throw new IllegalArgumentException("updates must not be empty");
        }
        List<ClientUpdate> ordered =
                updates.stream().sorted(Comparator.comparingInt(ClientUpdate::clientId)).toList();
        int length = ordered.get(0).weights().length;
        double total = 0;
        for (ClientUpdate u : ordered) {
            if (u.weights().length != length) {
                throw new IllegalArgumentException(
                        "client " + u.clientId() + " sent " + u.weights().length + " values, expected " + length);
            }
            total += u.samples();
        }
        float[] out = new float[length];
        for (ClientUpdate u : ordered) {
            float share = (float) (u.samples() / total);
            float[] w = u.weights();
            for (int i = 0; i < length; i++) {
                out[i] += share * w[i];
            }
        }
        return out;
    }
}
