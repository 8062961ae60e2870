package dev.splitfed.internal.aggregate;

import dev.splitfed.aggregate.Aggregator;
import dev.splitfed.aggregate.ClientUpdate;
import java.util.Comparator;
import java.util.List;

/**
 * Federated averaging (McMahan et al. 2017, "Communication-Efficient Learning of Deep Networks
 * from Decentralized Data", Algorithm 1): the mean of the clients' updates, each weighted by its
 * number of training samples, {@code sum_k (n_k / n) delta_k}. Added to weights all clients
 * started from, it gives the paper's {@code w = sum_k (n_k / n) w_k}.
 *
 * <p>Updates are summed in client-id order so the result does not depend on arrival order.
 */
public final class FedAvg implements Aggregator {

    /** Values summed at a time: 16 KiB of float32, which stays in the L1 cache. */
    private static final int TILE = 4096;

    @Override
    public float[] aggregate(List<ClientUpdate> updates) {
        if (updates.isEmpty()) {
            throw new IllegalArgumentException("updates must not be empty");
        }
        List<ClientUpdate> ordered =
                updates.stream().sorted(Comparator.comparingInt(ClientUpdate::clientId)).toList();
        int length = ordered.get(0).delta().length;
        double total = 0;
        for (ClientUpdate u : ordered) {
            if (u.delta().length != length) {
                throw new IllegalArgumentException(
                        "client " + u.clientId() + " sent " + u.delta().length + " values, expected " + length);
            }
            total += u.samples();
        }
        float[] shares = new float[ordered.size()];
        for (int k = 0; k < shares.length; k++) {
            shares[k] = (float) (ordered.get(k).samples() / total);
        }
        float[] out = new float[length];
        // Tile by tile, so that the sum stays in cache while every client's values stream past it
        // once: the cost is one read of the inputs and one write of the result, close to a copy.
        for (int from = 0; from < length; from += TILE) {
            int to = Math.min(length, from + TILE);
            for (int k = 0; k < shares.length; k++) {
                float share = shares[k];
                float[] w = ordered.get(k).delta();
                for (int i = from; i < to; i++) {
                    out[i] += share * w[i];
                }
            }
        }
        return out;
    }
}
