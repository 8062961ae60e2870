package dev.splitfed.internal.secagg;

import dev.splitfed.InvalidInputException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Shamir's t-of-n secret sharing (Shamir 1979, "How to Share a Secret") over the prime field of
 * {@link #PRIME} = 2^256 + 297, the smallest prime above 2^256, so that any 32-byte secret is a field
 * element: the secret is the constant term of a random polynomial of degree t - 1, and each party
 * gets the polynomial's value at its own nonzero point. Any t shares give the secret back by
 * Lagrange interpolation at zero; t - 1 shares reveal nothing about it (Bonawitz et al. 2017,
 * section 3, "SS").
 */
public final class Shamir {

    /** The field's prime, 2^256 + 297. */
    public static final BigInteger PRIME = BigInteger.ONE.shiftLeft(256).add(BigInteger.valueOf(297));

    /** Bytes of a share's value: 257 bits. */
    public static final int SHARE_BYTES = 33;

    /** Bytes of a secret. */
    public static final int SECRET_BYTES = 32;

    private Shamir() {}

    /**
     * Returns the shares of a secret, one for each point.
     *
     * @param secret 32 bytes
     * @param threshold t, how many shares reconstruct it, {@code 1 <= t <= points}
     * @param points the parties' points, distinct and positive
     * @param random where the polynomial's coefficients come from
     * @return point to share value
     */
    public static Map<Integer, BigInteger> split(byte[] secret, int threshold, List<Integer> points, SecureRandom random) {
        if (secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("a secret has " + SECRET_BYTES + " bytes, got " + secret.length);
        }
        if (threshold < 1 || threshold > points.size()) {
            throw new IllegalArgumentException("threshold " + threshold + " must be in 1 to " + points.size());
        }
        if (new HashSet<>(points).size() != points.size() || points.stream().anyMatch(x -> x < 1)) {
            throw new IllegalArgumentException("share points must be distinct and positive: " + points);
        }
        BigInteger[] coefficients = new BigInteger[threshold];
        coefficients[0] = new BigInteger(1, secret);
        for (int i = 1; i < threshold; i++) {
            BigInteger c;
            do {
                c = new BigInteger(PRIME.bitLength(), random);
            } while (c.compareTo(PRIME) >= 0);
            coefficients[i] = c;
        }
        Map<Integer, BigInteger> shares = new TreeMap<>();
        for (int x : points) {
            BigInteger bx = BigInteger.valueOf(x);
            BigInteger y = BigInteger.ZERO;
            for (int i = threshold - 1; i >= 0; i--) {
                y = y.multiply(bx).add(coefficients[i]).mod(PRIME);
            }
            shares.put(x, y);
        }
        return shares;
    }

    /**
     * Returns the secret behind {@code threshold} of the given shares.
     *
     * @param shares point to share value, at least {@code threshold} of them
     * @param threshold t
     * @param owner whose secret it is, for the error message
     * @return the 32-byte secret
     * @throws InvalidInputException if fewer than t shares are given, or they do not interpolate to a 32-byte secret
     */
    public static byte[] reconstruct(Map<Integer, BigInteger> shares, int threshold, String owner) {
        if (shares.size() < threshold) {
            throw new InvalidInputException(
                    "only " + shares.size() + " shares of " + owner + " arrived, and " + threshold + " are needed");
        }
        Map<Integer, BigInteger> first = new TreeMap<>();
        for (Map.Entry<Integer, BigInteger> e : new TreeMap<>(shares).entrySet()) {
            if (first.size() < threshold) {
                first.put(e.getKey(), e.getValue());
            }
        }
        BigInteger secret = interpolateAtZero(first);
        if (secret.bitLength() > 8 * SECRET_BYTES) {
            throw new InvalidInputException("the shares of " + owner + " do not fit together: they give no 32-byte secret");
        }
        return toBytes(secret, SECRET_BYTES);
    }

    /**
     * Returns the value at zero of the polynomial of degree {@code shares.size() - 1} through the
     * shares (Lagrange interpolation). With fewer shares than the threshold it is not the secret.
     *
     * @param shares point to value, distinct points
     * @return the constant term
     */
    static BigInteger interpolateAtZero(Map<Integer, BigInteger> shares) {
        Set<Integer> points = shares.keySet();
        BigInteger sum = BigInteger.ZERO;
        for (Map.Entry<Integer, BigInteger> e : shares.entrySet()) {
            BigInteger xi = BigInteger.valueOf(e.getKey());
            BigInteger numerator = BigInteger.ONE;
            BigInteger denominator = BigInteger.ONE;
            for (int j : points) {
                if (j != e.getKey()) {
                    BigInteger xj = BigInteger.valueOf(j);
                    numerator = numerator.multiply(xj).mod(PRIME);
                    denominator = denominator.multiply(xj.subtract(xi)).mod(PRIME);
                }
            }
            BigInteger basis = numerator.multiply(denominator.modInverse(PRIME)).mod(PRIME);
            sum = sum.add(e.getValue().multiply(basis)).mod(PRIME);
        }
        return sum;
    }

    /** Returns a share value as {@value #SHARE_BYTES} big-endian bytes. */
    public static byte[] encodeShare(BigInteger value) {
        return toBytes(value, SHARE_BYTES);
    }

    /**
     * Returns the share value of {@value #SHARE_BYTES} big-endian bytes.
     *
     * @param bytes the value
     * @param owner whose share it is, for the error message
     * @return the field element
     * @throws InvalidInputException if the bytes are not a field element
     */
    public static BigInteger decodeShare(byte[] bytes, String owner) {
        if (bytes.length != SHARE_BYTES) {
            throw new InvalidInputException("a share of " + owner + " has " + bytes.length + " bytes, expected " + SHARE_BYTES);
        }
        BigInteger v = new BigInteger(1, bytes);
        if (v.compareTo(PRIME) >= 0) {
            throw new InvalidInputException("a share of " + owner + " is not below the field's prime 2^256 + 297");
        }
        return v;
    }

    private static byte[] toBytes(BigInteger value, int length) {
        byte[] be = value.toByteArray();
        byte[] out = new byte[length];
        int n = Math.min(be.length, length);
        System.arraycopy(be, be.length - n, out, length - n, n);
        return out;
    }
}
