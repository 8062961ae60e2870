package dev.splitfed.internal.secagg;

/**
 * A sealed message from one client to another, forwarded by the server (Bonawitz et al. 2017,
 * round 1, ShareKeys): the sender's and recipient's ids and the recipient's shares of the sender's
 * mask key and self-mask seed, under AES-GCM with a key only the two can agree.
 *
 * @param peer the recipient when a client sends it, the sender when a client receives it
 * @param ciphertext the sealed shares
 */
public record EncryptedShare(int peer, byte[] ciphertext) {

    /** Plaintext bytes: both ids and two share values. */
    public static final int PLAINTEXT_BYTES = 4 + 4 + 2 * Shamir.SHARE_BYTES;

    /** Ciphertext bytes: nonce, sealed plaintext and tag. */
    public static final int CIPHERTEXT_BYTES = PLAINTEXT_BYTES + ShareCipher.OVERHEAD;

    /** Payload bytes: the peer's id and the ciphertext. */
    public static final int BYTES = 4 + CIPHERTEXT_BYTES;
}
