package dev.splitfed.internal.secagg;

import dev.splitfed.InvalidInputException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM, the authenticated encryption of the shares two clients exchange through the server
 * (Bonawitz et al. 2017, section 3, "AE"): the server forwards them but can neither read nor alter
 * them. A sealed message is a fresh 12-byte nonce, the ciphertext and the 16-byte tag.
 */
public final class ShareCipher {

    /** Bytes a sealed message adds to its plaintext: nonce and tag. */
    public static final int OVERHEAD = 12 + 16;

    private ShareCipher() {}

    /**
     * Returns the sealed message.
     *
     * @param key 32 bytes
     * @param associated data the tag covers but that is not sent (round and ids)
     * @param plaintext the message
     * @param random where the nonce comes from
     * @return nonce, ciphertext and tag
     */
    public static byte[] seal(byte[] key, byte[] associated, byte[] plaintext, SecureRandom random) {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            gcm.updateAAD(associated);
            byte[] sealed = gcm.doFinal(plaintext);
            return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java 17 runtime", e);
        }
    }

    /**
     * Returns the plaintext of a sealed message.
     *
     * @param key 32 bytes
     * @param associated the data the sender bound to it
     * @param sealed nonce, ciphertext and tag
     * @param what names the message for the error
     * @return the plaintext
     * @throws InvalidInputException if the message was altered, or sealed with another key or data
     */
    public static byte[] open(byte[] key, byte[] associated, byte[] sealed, String what) {
        if (sealed.length < OVERHEAD) {
            throw new InvalidInputException(what + " is too short to be a sealed message");
        }
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, sealed, 0, 12));
            gcm.updateAAD(associated);
            return gcm.doFinal(sealed, 12, sealed.length - 12);
        } catch (AEADBadTagException e) {
            throw new InvalidInputException(what + " does not authenticate: it was altered or not sealed for this client", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java 17 runtime", e);
        }
    }
}
