package dev.splitfed.internal.secagg;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * HKDF with HMAC-SHA-256 (RFC 5869; BouncyCastle's implementation): turns a Diffie-Hellman
 * shared secret into keys bound to what they are for. Secure aggregation derives two kinds from X25519 secrets: the seed of a pairwise
 * mask and the AES key of the shares two clients exchange, each bound to the round and both ids.
 */
public final class Hkdf {

    private static final byte[] SALT = "splitfed secure aggregation v1".getBytes(StandardCharsets.US_ASCII);

    private Hkdf() {}

    /**
     * Returns {@code length} bytes of output keying material (RFC 5869, sections 2.2 and 2.3).
     *
     * @param salt the extract step's salt
     * @param ikm the input keying material
     * @param info what the key is for
     * @param length at most 255 * 32
     * @return the key
     */
    public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
        if (length < 1 || length > 255 * 32) {
            throw new IllegalArgumentException("HKDF-SHA-256 gives 1 to 8160 bytes, not " + length);
        }
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ikm, salt, info));
        byte[] okm = new byte[length];
        hkdf.generateBytes(okm, 0, length);
        return okm;
    }

    /**
     * Returns a 32-byte key for {@code purpose} between clients {@code a} and {@code b} in
     * {@code round}; the same whichever of the two asks.
     *
     * @param sharedSecret the X25519 secret of the two clients
     * @param purpose e.g. {@code "mask"}
     * @param round the round
     * @param a one client
     * @param b the other
     * @return the key
     */
    public static byte[] pairKey(byte[] sharedSecret, String purpose, int round, int a, int b) {
        byte[] label = purpose.getBytes(StandardCharsets.US_ASCII);
        byte[] info = ByteBuffer.allocate(label.length + 12)
                .put(label).putInt(round).putInt(Math.min(a, b)).putInt(Math.max(a, b)).array();
        return derive(SALT, sharedSecret, info, 32);
    }
}
