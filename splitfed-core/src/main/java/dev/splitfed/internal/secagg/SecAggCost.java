package dev.splitfed.internal.secagg;

import dev.splitfed.cost.CostModel;

/**
 * The bytes secure aggregation adds to a round in which n clients take part and none drops out,
 * exactly as {@link dev.splitfed.internal.transport.TrafficMeter} counts them. Per client:
 *
 * <pre>
 *   up    68                     two public keys and the sample count (AdvertiseKeys)
 *         + 106 (n - 1)          a sealed share and its recipient's id for every other client (ShareKeys)
 *         + 37 n                 an id and a 33-byte share for every client (Unmasking)
 *   down  12 + 68 n              threshold, sample total, every member's id and keys (the roster)
 *         + 106 (n - 1)          the sealed shares addressed to it
 *         + 4 n                  the survivors' ids
 * </pre>
 *
 * <p>The masked input replaces the plain weights at 4 bytes a value, as float32 would, so it adds
 * nothing (the plain submission's 4-byte sample count moves into AdvertiseKeys). Quadratic in n:
 * 5 clients add 7,365 bytes a round, 50 clients 795,900 (the split schemes' |W_C| of LeNet-5 cut 1
 * is 156 values, 624 bytes).
 */
public final class SecAggCost {

    /** Bytes of AdvertiseKeys: two public keys and the sample count. */
    public static final int ADVERTISE_BYTES = PublicKeys.BYTES + 4;

    private SecAggCost() {}

    /**
     * Returns the bytes secure aggregation adds to a round without dropouts.
     *
     * @param clients n, the round's participants
     * @return up and down, over all clients
     */
    public static CostModel.Traffic overhead(int clients) {
        long n = clients;
        long up = ADVERTISE_BYTES + (n - 1) * EncryptedShare.BYTES + n * RevealedShare.BYTES;
        long down = 4 + 8 + n * (4 + PublicKeys.BYTES) + (n - 1) * EncryptedShare.BYTES + 4 * n;
        return new CostModel.Traffic(n * up, n * down);
    }
}
