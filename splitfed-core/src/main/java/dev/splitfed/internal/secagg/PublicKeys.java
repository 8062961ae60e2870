package dev.splitfed.internal.secagg;

import dev.splitfed.InvalidInputException;

/**
 * The two public keys a client advertises for a round (Bonawitz et al. 2017, round 0,
 * AdvertiseKeys): {@code cipherKey} agrees the AES keys of the shares it exchanges with each other
 * client, {@code maskKey} the seeds of its pairwise masks.
 *
 * @param cipherKey c_u^PK, 32 bytes
 * @param maskKey s_u^PK, 32 bytes
 */
public record PublicKeys(byte[] cipherKey, byte[] maskKey) {

    /** Payload bytes: two X25519 keys. */
    public static final int BYTES = 2 * X25519.KEY_BYTES;

    /**
     * Refuses keys of the wrong length.
     *
     * @param owner whose keys they are
     * @return these keys
     * @throws InvalidInputException if a key is not 32 bytes
     */
    public PublicKeys check(String owner) {
        if (cipherKey == null || maskKey == null || cipherKey.length != X25519.KEY_BYTES
                || maskKey.length != X25519.KEY_BYTES) {
            throw new InvalidInputException(owner + "'s public keys must be two " + X25519.KEY_BYTES + "-byte X25519 keys");
        }
        return this;
    }
}
