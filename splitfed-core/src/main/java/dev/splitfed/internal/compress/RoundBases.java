package dev.splitfed.internal.compress;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The weights each client started its round from, for sending and reading updates as changes.
 * Clients of a round start from the same model, each from its own copy: equal copies share one
 * array, so a thousand clients cost one model, not a thousand. Not thread-safe.
 */
public final class RoundBases {

    private final Map<Integer, float[]> bases = new HashMap<>();
    private float[] last;

    /** Remembers {@code weights} as the client's base; the caller does not change them afterwards. */
    void put(int clientId, float[] weights) {
        if (!Arrays.equals(weights, last)) {
            last = weights;
        }
        bases.put(clientId, last);
    }

    /** Returns the client's base, or null if it has none. */
    float[] get(int clientId) {
        return bases.get(clientId);
    }

    /** Forgets the client's base. */
    void remove(int clientId) {
        bases.remove(clientId);
        if (!bases.containsValue(last)) {
            last = null;
        }
    }
}
