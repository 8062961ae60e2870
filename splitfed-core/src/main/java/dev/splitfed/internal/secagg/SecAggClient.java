package dev.splitfed.internal.secagg;

import dev.splitfed.InvalidInputException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A client's half of secure aggregation (Bonawitz et al. 2017, Figure 4, honest-but-curious
 * version), one round after another. Each round it makes fresh key pairs (AdvertiseKeys), shares
 * its mask key s_u^SK and a fresh self-mask seed b_u t-of-|U_1| among the other clients, sealed for
 * each (ShareKeys), hands in its input masked as
 *
 * <pre>
 *   y_u = x_u + PRG(b_u) + sum over v in U_2, v != u of Delta_{u,v} PRG(s_{u,v})   (mod 2^32)
 * </pre>
 *
 * with {@code Delta_{u,v} = +1} if u &gt; v and -1 if u &lt; v, so the pairwise masks cancel in the
 * sum (MaskedInputCollection), and finally reveals, for each other client, the share of its
 * self-mask seed if it survived or of its mask key if it dropped out, never both (Unmasking).
 *
 * <p>x_u is FedAvg's share of the client's weights, {@code (n_u / N) w_u} in {@link FixedPoint},
 * with N the sample total the server announces; its secrets are forgotten when the round ends.
 */
public final class SecAggClient {

    private final int id;
    private final int samples;
    private final int threshold;
    private final SecAggServer server;
    private final SecureRandom random;
    private final String name;

    private int round;
    private Step done = Step.NONE;
    private KeyPair cipherKeys;
    private KeyPair maskKeys;
    private Roster roster;
    private BigInteger ownSelfShare;
    private byte[] selfSeed;
    private final Map<Integer, byte[]> shareKeys = new TreeMap<>();
    private final Map<Integer, byte[]> inbox = new TreeMap<>();

    /** How far the client got in the current round. */
    private enum Step { NONE, ADVERTISED, SHARED, SUBMITTED }

    /**
     * Creates a client's half.
     *
     * @param id the client's id
     * @param samples n_u, its training samples
     * @param threshold t, the run's threshold, which the server must announce
     * @param server the server's half, as this client reaches it
     * @param random where keys, seeds, polynomials and nonces come from
     */
    public SecAggClient(int id, int samples, int threshold, SecAggServer server, SecureRandom random) {
        if (id < 0 || samples < 1 || threshold < 1) {
            throw new IllegalArgumentException("id >= 0, samples >= 1 and threshold >= 1 expected");
        }
        this.id = id;
        this.samples = samples;
        this.threshold = threshold;
        this.server = server;
        this.random = random;
        this.name = "client " + id;
    }

    /** Returns the client's id. */
    public int id() {
        return id;
    }

    /**
     * Round 0, AdvertiseKeys: makes the round's key pairs and sends their public halves.
     *
     * @param round the round
     */
    public synchronized void advertiseKeys(int round) {
        forget();
        this.round = round;
        cipherKeys = X25519.generate(random);
        maskKeys = X25519.generate(random);
        server.advertiseKeys(id, round, new PublicKeys(X25519.encode(cipherKeys.getPublic()),
                X25519.encode(maskKeys.getPublic())), samples);
        done = Step.ADVERTISED;
    }

    /**
     * Round 1, ShareKeys: reads the roster, shares s_u^SK and a fresh b_u among its members and
     * sends each other member its shares, sealed.
     *
     * @param round the round
     */
    public synchronized void shareKeys(int round) {
        expect(round, Step.ADVERTISED, "share keys");
        Roster r = checkRoster(server.roster(id, round));
        List<Integer> points = r.members().keySet().stream().map(v -> v + 1).toList();
        byte[] selfSeed = new byte[MaskGenerator.SEED_BYTES];
        random.nextBytes(selfSeed);
        Map<Integer, BigInteger> maskKeyShares =
                Shamir.split(X25519.encode(maskKeys.getPrivate()), threshold, points, random);
        Map<Integer, BigInteger> selfShares = Shamir.split(selfSeed, threshold, points, random);
        List<EncryptedShare> out = new ArrayList<>();
        for (Map.Entry<Integer, PublicKeys> member : r.members().entrySet()) {
            int v = member.getKey();
            if (v == id) {
                continue;
            }
            byte[] key = Hkdf.pairKey(
                    X25519.agree(cipherKeys.getPrivate(), X25519.publicKey(member.getValue().cipherKey(), "client " + v)),
                    "share", round, id, v);
            shareKeys.put(v, key);
            byte[] plaintext = ByteBuffer.allocate(EncryptedShare.PLAINTEXT_BYTES)
                    .putInt(id).putInt(v)
                    .put(Shamir.encodeShare(maskKeyShares.get(v + 1)))
                    .put(Shamir.encodeShare(selfShares.get(v + 1)))
                    .array();
            out.add(new EncryptedShare(v, ShareCipher.seal(key, associated(round, id, v), plaintext, random)));
        }
        ownSelfShare = selfShares.get(id + 1);
        roster = r;
        server.shareKeys(id, round, out);
        // b_u itself is needed once more, to mask: it is kept only as long as that.
        this.selfSeed = selfSeed;
        done = Step.SHARED;
    }

    /**
     * Round 2, MaskedInputCollection: masks FedAvg's share of the weights and hands it in.
     *
     * @param clientId the client the weights are from: this one
     * @param round the round
     * @param weights the trained weights
     * @param submittedSamples the sample count behind them: the one advertised
     */
    public synchronized void submit(int clientId, int round, float[] weights, int submittedSamples) {
        if (clientId != id || submittedSamples != samples) {
            throw new IllegalStateException("client " + id + " with " + samples + " samples cannot submit for client "
                    + clientId + " with " + submittedSamples);
        }
        expect(round, Step.SHARED, "hand in a masked input");
        List<EncryptedShare> received = server.inbox(id, round);
        Set<Integer> senders = new HashSet<>();
        for (EncryptedShare e : received) {
            if (e.peer() == id || !roster.members().containsKey(e.peer()) || !senders.add(e.peer())) {
                throw new InvalidInputException("the server forwarded " + name + " a share from client " + e.peer()
                        + ", which is not another member of round " + round + "'s roster, or twice");
            }
            if (e.ciphertext().length != EncryptedShare.CIPHERTEXT_BYTES) {
                throw new InvalidInputException("the server forwarded " + name + " a share from client " + e.peer()
                        + " of " + e.ciphertext().length + " bytes, expected " + EncryptedShare.CIPHERTEXT_BYTES);
            }
            inbox.put(e.peer(), e.ciphertext());
        }
        if (inbox.size() + 1 < threshold) {
            throw new InvalidInputException("only " + (inbox.size() + 1) + " clients shared keys in round " + round
                    + ", fewer than the threshold " + threshold);
        }
        int[] masked = FixedPoint.encode(weights, (double) samples / roster.totalSamples(), name);
        MaskGenerator.add(selfSeed, 1, masked);
        selfSeed = null;
        byte[] maskKey = X25519.encode(maskKeys.getPrivate());
        for (int v : inbox.keySet()) {
            MaskGenerator.add(pairwiseSeed(maskKey, roster.members().get(v).maskKey(), round, id, v), id > v ? 1 : -1, masked);
        }
        server.submitMasked(id, round, masked);
        done = Step.SUBMITTED;
    }

    /**
     * Round 4, Unmasking: for every other client that shared keys, reveals the share of its
     * self-mask seed if it is among the survivors the server announces, else of its mask key.
     *
     * @param round the round
     */
    public synchronized void unmask(int round) {
        expect(round, Step.SUBMITTED, "unmask");
        List<Integer> survivors = server.survivors(id, round);
        Set<Integer> alive = new HashSet<>(survivors);
        if (alive.size() != survivors.size() || !alive.contains(id) || alive.size() < threshold
                || alive.stream().anyMatch(v -> v != id && !inbox.containsKey(v))) {
            throw new InvalidInputException("the server announced survivors " + survivors + " to " + name + " in round "
                    + round + ": they must be distinct, include it, be at least the threshold " + threshold
                    + " and have all shared keys");
        }
        List<RevealedShare> out = new ArrayList<>();
        out.add(new RevealedShare(id, Shamir.encodeShare(ownSelfShare)));
        for (Map.Entry<Integer, byte[]> e : inbox.entrySet()) {
            int v = e.getKey();
            String what = "the share client " + v + " sealed for " + name;
            ByteBuffer plain = ByteBuffer.wrap(
                    ShareCipher.open(shareKeys.get(v), associated(round, v, id), e.getValue(), what));
            if (plain.remaining() != EncryptedShare.PLAINTEXT_BYTES || plain.getInt() != v || plain.getInt() != id) {
                throw new InvalidInputException(what + " names other clients");
            }
            byte[] maskKeyShare = new byte[Shamir.SHARE_BYTES];
            byte[] selfShare = new byte[Shamir.SHARE_BYTES];
            plain.get(maskKeyShare).get(selfShare);
            out.add(new RevealedShare(v, alive.contains(v) ? selfShare : maskKeyShare));
        }
        server.unmask(id, round, out);
        forget();
    }

    /**
     * Returns the seed of the pairwise mask of clients u and v: HKDF of their X25519 secret, bound
     * to the round and both ids, so that s_{u,v} = s_{v,u}.
     *
     * @param privateKey one client's mask key s^SK
     * @param publicKey the other's s^PK
     * @param round the round
     * @param u one id
     * @param v the other
     * @return 32 bytes
     */
    static byte[] pairwiseSeed(byte[] privateKey, byte[] publicKey, int round, int u, int v) {
        return Hkdf.pairKey(X25519.agree(X25519.privateKey(privateKey), X25519.publicKey(publicKey, "client " + v)),
                "mask", round, u, v);
    }

    private static byte[] associated(int round, int sender, int recipient) {
        return ByteBuffer.allocate(12).putInt(round).putInt(sender).putInt(recipient).array();
    }

    private Roster checkRoster(Roster r) {
        String at = "the roster of round " + round + " sent to " + name;
        if (r.threshold() != threshold) {
            throw new InvalidInputException(at + " has threshold " + r.threshold() + ", but the run's is " + threshold);
        }
        PublicKeys own = r.members().get(id);
        if (own == null || !Arrays.equals(own.cipherKey(), X25519.encode(cipherKeys.getPublic()))
                || !Arrays.equals(own.maskKey(), X25519.encode(maskKeys.getPublic()))) {
            throw new InvalidInputException(at + " does not hold its own keys");
        }
        if (r.members().size() < threshold) {
            throw new InvalidInputException(at + " has " + r.members().size() + " members, fewer than the threshold " + threshold);
        }
        Set<ByteBuffer> distinct = new HashSet<>();
        for (Map.Entry<Integer, PublicKeys> m : r.members().entrySet()) {
            PublicKeys k = m.getValue().check("client " + m.getKey());
            if (m.getKey() < 0 || !distinct.add(ByteBuffer.wrap(k.cipherKey())) || !distinct.add(ByteBuffer.wrap(k.maskKey()))) {
                throw new InvalidInputException(at + " repeats a public key or holds a negative id");
            }
        }
        if (r.totalSamples() < samples) {
            throw new InvalidInputException(at + " announces " + r.totalSamples() + " samples in all, fewer than its own " + samples);
        }
        return r;
    }

    private void expect(int round, Step step, String what) {
        if (round != this.round || done != step) {
            throw new InvalidInputException(name + " cannot " + what + " in round " + round
                    + ": it has not done the step before it in that round");
        }
    }

    private void forget() {
        done = Step.NONE;
        cipherKeys = null;
        maskKeys = null;
        roster = null;
        ownSelfShare = null;
        selfSeed = null;
        shareKeys.clear();
        inbox.clear();
    }
}
