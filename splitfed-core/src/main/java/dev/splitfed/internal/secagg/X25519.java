package dev.splitfed.internal.secagg;

import dev.splitfed.InvalidInputException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * X25519 Diffie-Hellman (RFC 7748) from the JDK, with keys as the 32-byte strings the RFC defines:
 * the key agreement of secure aggregation (Bonawitz et al. 2017, section 3, "KA"). A private key is
 * a 32-byte scalar, which is what clients secret-share so that the server can rebuild a dropped
 * client's key and remove its pairwise masks.
 */
public final class X25519 {

    /** Bytes of a public or private key. */
    public static final int KEY_BYTES = 32;

    private X25519() {}

    /**
     * Returns a fresh key pair.
     *
     * @param random the source of the private key
     * @return the pair
     */
    public static KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("X25519");
            generator.initialize(NamedParameterSpec.X25519, random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is part of every Java 17 runtime", e);
        }
    }

    /** Returns a public key as its 32-byte little-endian u-coordinate (RFC 7748, section 5). */
    public static byte[] encode(PublicKey key) {
        return littleEndian(((XECPublicKey) key).getU());
    }

    /** Returns a private key's 32-byte scalar. */
    public static byte[] encode(PrivateKey key) {
        return ((XECPrivateKey) key).getScalar().orElseThrow(
                () -> new IllegalStateException("the X25519 private key does not reveal its scalar"));
    }

    /**
     * Returns the public key of a 32-byte string.
     *
     * @param bytes the u-coordinate, little-endian
     * @param owner whose key it is, for the error message
     * @return the key
     * @throws InvalidInputException if the string is not 32 bytes
     */
    public static PublicKey publicKey(byte[] bytes, String owner) {
        if (bytes.length != KEY_BYTES) {
            throw new InvalidInputException(owner + "'s public key has " + bytes.length + " bytes, expected " + KEY_BYTES);
        }
        byte[] be = reversed(bytes);
        be[0] &= 0x7f; // RFC 7748: the most significant bit of a u-coordinate is ignored
        try {
            return KeyFactory.getInstance("XDH").generatePublic(
                    new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
        } catch (GeneralSecurityException e) {
            throw new InvalidInputException(owner + "'s public key is not an X25519 key", e);
        }
    }

    /**
     * Returns the private key of a 32-byte scalar.
     *
     * @param scalar the scalar
     * @return the key
     */
    public static PrivateKey privateKey(byte[] scalar) {
        if (scalar.length != KEY_BYTES) {
            throw new IllegalArgumentException("an X25519 private key has " + KEY_BYTES + " bytes, got " + scalar.length);
        }
        try {
            return KeyFactory.getInstance("XDH").generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is part of every Java 17 runtime", e);
        }
    }

    /** Returns the public key that belongs to a private key. */
    public static byte[] publicOf(PrivateKey key) {
        try {
            // u = scalar * 9: the agreement with the base point
            return agree(key, publicKey(littleEndian(BigInteger.valueOf(9)), "the base point"));
        } catch (InvalidInputException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Returns the shared secret of a private and a public key.
     *
     * @param mine the private key
     * @param theirs the other party's public key
     * @return 32 bytes
     * @throws InvalidInputException if the public key is of small order (the secret would be zero)
     */
    public static byte[] agree(PrivateKey mine, PublicKey theirs) {
        try {
            KeyAgreement agreement = KeyAgreement.getInstance("X25519");
            agreement.init(mine);
            agreement.doPhase(theirs, true);
            return agreement.generateSecret();
        } catch (InvalidKeyException e) {
            throw new InvalidInputException("an X25519 public key of small order was refused", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is part of every Java 17 runtime", e);
        }
    }

    private static byte[] littleEndian(BigInteger u) {
        byte[] be = u.toByteArray();
        byte[] out = new byte[KEY_BYTES];
        for (int i = 0; i < Math.min(be.length, KEY_BYTES); i++) {
            out[i] = be[be.length - 1 - i];
        }
        return out;
    }

    private static byte[] reversed(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }
}
