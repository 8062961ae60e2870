package dev.splitfed.internal.secagg;

import java.util.Map;

/**
 * What the server broadcasts after AdvertiseKeys (Bonawitz et al. 2017, round 0): the clients
 * whose keys arrived (U_1), with their keys, the threshold t and the total of their sample counts,
 * by which each client weighs its input.
 *
 * @param threshold t, how many shares rebuild a secret
 * @param totalSamples N, the sum of U_1's sample counts
 * @param members client id to public keys, U_1
 */
public record Roster(int threshold, long totalSamples, Map<Integer, PublicKeys> members) {

    /** Payload bytes: t, N and each member's id and keys. */
    public long bytes() {
        return 4 + 8 + (long) members.size() * (4 + PublicKeys.BYTES);
    }
}
