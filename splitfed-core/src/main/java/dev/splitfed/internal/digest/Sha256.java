package dev.splitfed.internal.digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, the digest every file, schema and vocabulary a run checks is named by. */
public final class Sha256 {

    private Sha256() {}

    /**
     * Returns a fresh SHA-256 digest.
     *
     * @return the digest, to update and then {@link #finish}
     */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * Finishes a digest and returns its value in hexadecimal.
     *
     * @param digest an updated digest
     * @return 64 lower-case hexadecimal digits
     */
    public static String finish(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Returns the SHA-256 of some bytes in hexadecimal.
     *
     * @param bytes the bytes
     * @return 64 lower-case hexadecimal digits
     */
    public static String hex(byte[] bytes) {
        MessageDigest digest = newDigest();
        digest.update(bytes);
        return finish(digest);
    }
}
