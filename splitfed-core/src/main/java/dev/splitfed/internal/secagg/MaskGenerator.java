package dev.splitfed.internal.secagg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pseudorandom generator of secure aggregation (Bonawitz et al. 2017, section 3, "PRG"): a
 * 32-byte seed expanded into a stream of 32-bit integers by AES-256 in counter mode (the seed is
 * the key, the counter starts at zero), read little-endian. The same seed gives the same stream
 * everywhere, so a mask added by a client is removed exactly by whoever learns its seed.
 */
public final class MaskGenerator {

    /** Seed length in bytes. */
    public static final int SEED_BYTES = 32;

    /** Values generated per cipher call: 64 KiB of stream. */
    private static final int BLOCK = 1 << 14;

    private MaskGenerator() {}

    /**
     * Adds {@code sign} times the stream of {@code seed} to {@code into}, modulo 2^32.
     *
     * @param seed the 32-byte seed
     * @param sign +1 to add the mask, -1 to subtract it
     * @param into the values, changed in place
     */
    public static void add(byte[] seed, int sign, int[] into) {
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("a mask seed has " + SEED_BYTES + " bytes, got " + seed.length);
        }
        if (sign != 1 && sign != -1) {
            throw new IllegalArgumentException("sign must be +1 or -1, got " + sign);
        }
        Cipher aes;
        try {
            aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(new byte[16]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR is part of every Java 17 runtime", e);
        }
        byte[] zeros = new byte[4 * Math.min(BLOCK, Math.max(1, into.length))];
        for (int from = 0; from < into.length; from += BLOCK) {
            int n = Math.min(BLOCK, into.length - from);
            IntBuffer stream = ByteBuffer.wrap(aes.update(zeros, 0, 4 * n)).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
            if (sign == 1) {
                for (int i = 0; i < n; i++) {
                    into[from + i] += stream.get(i);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    into[from + i] -= stream.get(i);
                }
            }
        }
    }

    /**
     * Returns the first {@code n} values of the stream of {@code seed}.
     *
     * @param seed the 32-byte seed
     * @param n how many
     * @return the values
     */
    public static int[] expand(byte[] seed, int n) {
        int[] out = new int[n];
        add(seed, 1, out);
        return out;
    }
}
