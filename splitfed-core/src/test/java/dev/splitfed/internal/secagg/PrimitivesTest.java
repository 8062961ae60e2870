package dev.splitfed.internal.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The building blocks of secure aggregation against published test vectors and hand-computed values. */
class PrimitivesTest {

    private static final HexFormat HEX = HexFormat.of();

    static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void fixedPointRoundTripIsWithinHalfAStep() {
        float[] w = {0f, 1.5f, -2047f, 2047f, 1e-7f, 0.3f, -0.123456f};
        int[] encoded = FixedPoint.encode(w, 1.0, "test");
        assertThat(encoded[1]).isEqualTo(3 << 19); // 1.5 * 2^20
        assertThat(encoded[2]).isEqualTo(-2047 << 20);
        for (int i = 0; i < w.length; i++) {
            assertThat(Math.abs(FixedPoint.decode(encoded[i]) - w[i])).isLessThanOrEqualTo(Math.pow(2, -21));
        }
        assertThat(FixedPoint.encode(new float[] {1f}, 0.25, "test")[0]).isEqualTo(1 << 18);
    }

    @Test
    void maskedSumsWrapModulo2To32AndUnmaskExactly() {
        // Three clients at the bound, each with a third of the samples: the sum is 2047, just inside 2^31 / 2^20.
        int[][] x = new int[3][];
        for (int k = 0; k < 3; k++) {
            x[k] = FixedPoint.encode(new float[] {2047f, -2047f, 0.5f}, 1.0 / 3, "client " + k);
        }
        int[] masks = {Integer.MAX_VALUE, Integer.MIN_VALUE, -123456789};
        int[] sum = new int[3];
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < 3; i++) {
                sum[i] += x[k][i] + masks[k]; // overflows on purpose
            }
        }
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < 3; i++) {
                sum[i] -= masks[k];
            }
        }
        assertThat(FixedPoint.decode(sum[0])).isCloseTo(2047, org.assertj.core.data.Offset.offset(3 * Math.pow(2, -21)));
        assertThat(FixedPoint.decode(sum[1])).isCloseTo(-2047, org.assertj.core.data.Offset.offset(3 * Math.pow(2, -21)));
        assertThat(FixedPoint.decode(sum[2])).isCloseTo(0.5, org.assertj.core.data.Offset.offset(3 * Math.pow(2, -21)));
        assertThat((long) 2047 * (1 << 20) + FixedPoint.MAX_SUMMANDS / 2).isLessThan(1L << 31);
    }

    @Test
    void fixedPointRefusesValuesOutsideTheRange() {
        assertThatThrownBy(() -> FixedPoint.encode(new float[] {0f, 2047.5f}, 0.5, "client 4"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("client 4's weight 1 is 2047.5");
        assertThatThrownBy(() -> FixedPoint.encode(new float[] {Float.NaN}, 0.5, "client 4"))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void maskGeneratorIsAesCtrFromZeroAndDeterministic() throws Exception {
        byte[] seed = new byte[32];
        seeded(1).nextBytes(seed);
        int[] stream = MaskGenerator.expand(seed, 20_000);
        // Counter block 0 under AES-256, computed apart: the first four values, little-endian.
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"));
        ByteBuffer block = ByteBuffer.wrap(ecb.doFinal(new byte[16])).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 4; i++) {
            assertThat(stream[i]).isEqualTo(block.getInt());
        }
        // Block 1 of the cipher call after the first 2^14 values: counter 4096.
        byte[] counter = new byte[16];
        counter[14] = 0x10;
        ByteBuffer later = ByteBuffer.wrap(ecb.doFinal(counter)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(stream[16384]).isEqualTo(later.getInt());
        assertThat(MaskGenerator.expand(seed, 20_000)).containsExactly(stream);
        assertThat(MaskGenerator.expand(seed, 5)).containsExactly(java.util.Arrays.copyOf(stream, 5));
        int[] values = {1, -2, 3};
        MaskGenerator.add(seed, 1, values);
        assertThat(values).containsExactly(1 + stream[0], -2 + stream[1], 3 + stream[2]);
        MaskGenerator.add(seed, -1, values);
        assertThat(values).containsExactly(1, -2, 3);
        seed[0] ^= 1;
        assertThat(MaskGenerator.expand(seed, 4)).isNotEqualTo(java.util.Arrays.copyOf(stream, 4));
    }

    @Test
    void hkdfMatchesRfc5869TestCase1() {
        byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
        byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
        assertThat(HEX.formatHex(Hkdf.derive(salt, ikm, info, 42))).isEqualTo(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
        byte[] secret = "shared".getBytes(StandardCharsets.US_ASCII);
        assertThat(Hkdf.pairKey(secret, "mask", 3, 1, 2)).containsExactly(Hkdf.pairKey(secret, "mask", 3, 2, 1));
        assertThat(Hkdf.pairKey(secret, "mask", 3, 1, 2)).isNotEqualTo(Hkdf.pairKey(secret, "mask", 4, 1, 2));
        assertThat(Hkdf.pairKey(secret, "mask", 3, 1, 2)).isNotEqualTo(Hkdf.pairKey(secret, "share", 3, 1, 2));
    }

    @Test
    void x25519MatchesRfc7748Section61() {
        byte[] alice = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bob = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        byte[] alicePublic = X25519.publicOf(X25519.privateKey(alice));
        byte[] bobPublic = X25519.publicOf(X25519.privateKey(bob));
        assertThat(HEX.formatHex(alicePublic)).isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        assertThat(HEX.formatHex(bobPublic)).isEqualTo("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        byte[] shared = X25519.agree(X25519.privateKey(alice), X25519.publicKey(bobPublic, "bob"));
        assertThat(HEX.formatHex(shared)).isEqualTo("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        assertThat(X25519.agree(X25519.privateKey(bob), X25519.publicKey(alicePublic, "alice"))).containsExactly(shared);
        KeyPair pair = X25519.generate(seeded(2));
        assertThat(X25519.encode(pair.getPublic())).containsExactly(X25519.publicOf(X25519.privateKey(X25519.encode(pair.getPrivate()))));
        assertThatThrownBy(() -> X25519.publicKey(new byte[31], "client 2")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void shamirFieldIsTheSmallestPrimeAbove2To256() {
        BigInteger two256 = BigInteger.ONE.shiftLeft(256);
        assertThat(Shamir.PRIME.isProbablePrime(128)).isTrue();
        assertThat(two256.nextProbablePrime()).isEqualTo(Shamir.PRIME);
    }

    @Test
    void shamirInterpolatesAHandMadePolynomial() {
        // f(x) = 7 + 3x + 2x^2: f(1) = 12, f(2) = 21, f(3) = 34.
        Map<Integer, BigInteger> points = new TreeMap<>(Map.of(
                1, BigInteger.valueOf(12), 2, BigInteger.valueOf(21), 3, BigInteger.valueOf(34)));
        assertThat(Shamir.interpolateAtZero(points)).isEqualTo(BigInteger.valueOf(7));
        points.remove(3);
        // the line through (1, 12) and (2, 21) meets zero at 3, not 7
        assertThat(Shamir.interpolateAtZero(points)).isEqualTo(BigInteger.valueOf(3));
    }

    @Test
    void anyThresholdSharesRebuildTheSecretAndFewerDoNot() {
        byte[] secret = new byte[32];
        SecureRandom random = seeded(3);
        random.nextBytes(secret);
        secret[0] = (byte) 0xff; // the top of the 256-bit range
        Map<Integer, BigInteger> shares = Shamir.split(secret, 3, List.of(1, 2, 5, 8, 13), random);
        List<Integer> points = new ArrayList<>(shares.keySet());
        int subsets = 0;
        for (int a = 0; a < 5; a++) {
            for (int b = a + 1; b < 5; b++) {
                for (int c = b + 1; c < 5; c++) {
                    Map<Integer, BigInteger> three = new TreeMap<>();
                    for (int i : new int[] {a, b, c}) {
                        three.put(points.get(i), shares.get(points.get(i)));
                    }
                    assertThat(Shamir.reconstruct(three, 3, "x")).containsExactly(secret);
                    three.remove(points.get(a));
                    assertThat(Shamir.interpolateAtZero(three)).isNotEqualTo(new BigInteger(1, secret));
                    assertThatThrownBy(() -> Shamir.reconstruct(three, 3, "client 1's mask key"))
                            .isInstanceOf(InvalidInputException.class)
                            .hasMessageContaining("only 2 shares of client 1's mask key arrived, and 3 are needed");
                    subsets++;
                }
            }
        }
        assertThat(subsets).isEqualTo(10);
        assertThat(Shamir.decodeShare(Shamir.encodeShare(shares.get(13)), "x")).isEqualTo(shares.get(13));
        BigInteger largest = Shamir.PRIME.subtract(BigInteger.ONE);
        assertThat(Shamir.decodeShare(Shamir.encodeShare(largest), "x")).isEqualTo(largest);
        byte[] tooBig = new byte[33];
        java.util.Arrays.fill(tooBig, (byte) 0xff);
        assertThatThrownBy(() -> Shamir.decodeShare(tooBig, "client 2")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void sealedSharesOpenOnlyUnchanged() {
        byte[] key = new byte[32];
        SecureRandom random = seeded(4);
        random.nextBytes(key);
        byte[] plain = "shares".getBytes(StandardCharsets.US_ASCII);
        byte[] aad = {0, 0, 0, 1};
        byte[] sealed = ShareCipher.seal(key, aad, plain, random);
        assertThat(sealed).hasSize(plain.length + ShareCipher.OVERHEAD);
        assertThat(ShareCipher.open(key, aad, sealed, "m")).containsExactly(plain);
        byte[] altered = sealed.clone();
        altered[15] ^= 1;
        assertThatThrownBy(() -> ShareCipher.open(key, aad, altered, "the share")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("does not authenticate");
        assertThatThrownBy(() -> ShareCipher.open(key, new byte[] {0, 0, 0, 2}, sealed, "m"))
                .isInstanceOf(InvalidInputException.class);
        assertThat(EncryptedShare.CIPHERTEXT_BYTES).isEqualTo(8 + 66 + 28);
    }
}
