package dev.splitfed.internal.aggregate;

import dev.splitfed.aggregate.Aggregator;
import dev.splitfed.aggregate.ClientUpdate;
import java.util.ArrayList;
import java.util.List;

/**
 * Norm bounding (Sun, Kairouz, Suresh and McMahan 2019, "Can You Really Backdoor Federated
 * Learning?"): each update is scaled down to L2 norm at most {@code C},
 * {@code delta * min(1, C / ||delta||)}, and the clipped updates are averaged as FedAvg does,
 * weighted by sample count. It bounds what one client can move the model by, so it defends
 * against boosted updates, not against many small lies.
 */
public final class NormBound implements Aggregator {

    private final double bound;
    private final FedAvg fedAvg = new FedAvg();

    /**
     * Creates the rule.
     *
     * @param bound C, the largest L2 norm an update keeps, {@code > 0}
     */
    public NormBound(double bound) {
        if (!(bound > 0 && Double.isFinite(bound))) {
            throw new IllegalArgumentException("the norm bound must be positive and finite, got " + bound);
        }
        this.bound = bound;
    }

    @Override
    public float[] aggregate(List<ClientUpdate> updates) {
        List<ClientUpdate> clipped = new ArrayList<>(updates.size());
        for (ClientUpdate u : updates) {
            clipped.add(new ClientUpdate(u.clientId(), clip(u.delta()), u.samples()));
        }
        return fedAvg.aggregate(clipped);
    }

    /** Returns the update scaled to norm at most C (a copy). */
    float[] clip(float[] delta) {
        double norm = 0;
        for (float v : delta) {
            norm += (double) v * v;
        }
        norm = Math.sqrt(norm);
        float[] out = delta.clone();
        if (norm > bound) {
            float scale = (float) (bound / norm);
            for (int i = 0; i < out.length; i++) {
                out[i] *= scale;
            }
        }
        return out;
    }
}
