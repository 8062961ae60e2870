package dev.splitfed.internal.secagg;

import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.aggregate.ServerOptimizer;
import dev.splitfed.internal.role.FedServer;
import dev.splitfed.internal.role.RoundControl;
import dev.splitfed.internal.role.SubmissionGate;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fed server of {@code fl}, {@code sflv1} and {@code sflv2} with secure aggregation (Bonawitz
 * et al. 2017, Figure 4, honest-but-curious version): it computes FedAvg of the surviving clients'
 * weights from their masked inputs and never holds one client's weights in the clear. It takes no
 * plain submissions; what it holds of a client is its public keys, its sample count, sealed shares
 * it forwards, and its masked input, which alone is uniformly random.
 *
 * <p>At the end of the round it sums the masked inputs of the survivors U_3, rebuilds each
 * survivor's self-mask seed b_u and each dropped client's mask key s_v^SK from the survivors'
 * shares (t of each), removes the self-masks and the pairwise masks the dropped clients left in the
 * sum, and rescales by N / (the survivors' samples): the result is FedAvg over the survivors, within
 * the fixed-point error, which the server optimizer ({@code --strategy}) then applies as the update
 * (FedAvg − global). If more than n - t of the round's n clients dropped out, the round fails
 * and the global weights stay as they were.
 */
public final class SecAggFedServer implements FedServer, RoundControl, SecAggServer, SubmissionGate {

    private final int threshold;
    private final int dropouts;
    private final ServerOptimizer optimizer;
    private float[] global;

    private int round;
    private int selected;
    private Phase phase = Phase.CLOSED;
    private final Set<Integer> participants = new HashSet<>();
    private final Map<Integer, PublicKeys> keys = new TreeMap<>();
    private final Map<Integer, Integer> samples = new TreeMap<>();
    private long totalSamples;
    private final Map<Integer, Map<Integer, byte[]>> mailbox = new TreeMap<>();
    private final Set<Integer> shared = new TreeSet<>();
    private final Map<Integer, int[]> masked = new TreeMap<>();
    private List<Integer> survivors = List.of();
    private final Map<Integer, Map<Integer, BigInteger>> revealed = new TreeMap<>();
    private final Set<Integer> unmasked = new TreeSet<>();

    /** Where the round is; each phase closes when the first client asks for the next one's input. */
    private enum Phase { ADVERTISING, SHARING, MASKING, UNMASKING, CLOSED }

    /**
     * Creates the server.
     *
     * @param initialWeights the global weights before round 1
     * @param threshold t: how many clients must survive a round, and how many shares rebuild a secret
     * @param dropouts T: how many of a round's clients may drop out (for messages; t + T clients are selected)
     */
    public SecAggFedServer(float[] initialWeights, int threshold, int dropouts) {
        this(initialWeights, threshold, dropouts, ServerOptimizer.plain());
    }

    /**
     * Creates the server with a server optimizer, which moves the global weights by the unmasked
     * FedAvg's update (its mean minus the global weights): FedAdam and the like compose with secure
     * aggregation, since they need only the aggregate.
     *
     * @param initialWeights the global weights before round 1
     * @param threshold t: how many clients must survive a round, and how many shares rebuild a secret
     * @param dropouts T: how many of a round's clients may drop out (for messages; t + T clients are selected)
     * @param optimizer how the unmasked update moves the global weights
     */
    public SecAggFedServer(float[] initialWeights, int threshold, int dropouts, ServerOptimizer optimizer) {
        if (threshold < 1 || dropouts < 0) {
            throw new IllegalArgumentException("threshold >= 1 and dropouts >= 0 expected");
        }
        this.global = initialWeights.clone();
        this.threshold = threshold;
        this.dropouts = dropouts;
        this.optimizer = optimizer;
    }

    @Override
    public synchronized void beginRound(int round, List<Integer> participants) {
        if (round <= this.round) {
            throw new IllegalStateException("round " + round + " does not follow round " + this.round);
        }
        clear();
        this.round = round;
        this.selected = participants.size();
        this.participants.addAll(participants);
        this.phase = Phase.ADVERTISING;
    }

    @Override
    public synchronized float[] download(int clientId, int round) {
        check(clientId, round);
        return global.clone();
    }

    /** Refuses plain weights: with secure aggregation a client hands in only a masked input. */
    @Override
    public int expects(int clientId, int round) {
        throw new InvalidInputException("this run aggregates securely, so the fed server takes masked inputs only, "
                + "not client " + clientId + "'s plain weights");
    }

    @Override
    public void submit(int clientId, int round, float[] weights, int samples) {
        throw new InvalidInputException("this run aggregates securely, so the fed server takes masked inputs only, "
                + "not client " + clientId + "'s plain weights");
    }

    @Override
    public synchronized void advertiseKeys(int clientId, int round, PublicKeys keys, int samples) {
        check(clientId, round);
        inPhase(clientId, Phase.ADVERTISING, "advertise keys");
        if (this.keys.containsKey(clientId)) {
            throw new InvalidInputException("client " + clientId + " already advertised keys in round " + round);
        }
        if (samples < 1) {
            throw new InvalidInputException("client " + clientId + " reported " + samples + " samples, expected >= 1");
        }
        this.keys.put(clientId, keys.check("client " + clientId));
        this.samples.put(clientId, samples);
    }

    @Override
    public synchronized Roster roster(int clientId, int round) {
        check(clientId, round);
        if (phase == Phase.ADVERTISING) {
            enough(keys.size(), "advertised keys");
            totalSamples = samples.values().stream().mapToLong(Integer::longValue).sum();
            phase = Phase.SHARING;
        }
        inPhase(clientId, Phase.SHARING, "read the roster");
        member(clientId, keys.keySet(), "advertised no keys");
        return new Roster(threshold, totalSamples, Map.copyOf(keys));
    }

    @Override
    public synchronized void shareKeys(int clientId, int round, List<EncryptedShare> shares) {
        check(clientId, round);
        inPhase(clientId, Phase.SHARING, "share keys");
        member(clientId, keys.keySet(), "advertised no keys");
        if (shared.contains(clientId)) {
            throw new InvalidInputException("client " + clientId + " already shared keys in round " + round);
        }
        Set<Integer> recipients = new TreeSet<>();
        for (EncryptedShare s : shares) {
            if (s.ciphertext().length != EncryptedShare.CIPHERTEXT_BYTES) {
                throw new InvalidInputException("client " + clientId + " sent a sealed share of " + s.ciphertext().length
                        + " bytes, expected " + EncryptedShare.CIPHERTEXT_BYTES);
            }
            recipients.add(s.peer());
        }
        Set<Integer> others = new TreeSet<>(keys.keySet());
        others.remove(clientId);
        if (recipients.size() != shares.size() || !recipients.equals(others)) {
            throw new InvalidInputException("client " + clientId + " sent shares for clients " + recipients
                    + ", expected one for each of " + others);
        }
        for (EncryptedShare s : shares) {
            mailbox.computeIfAbsent(s.peer(), k -> new TreeMap<>()).put(clientId, s.ciphertext());
        }
        shared.add(clientId);
    }

    @Override
    public synchronized List<EncryptedShare> inbox(int clientId, int round) {
        check(clientId, round);
        if (phase == Phase.SHARING) {
            enough(shared.size(), "shared keys");
            phase = Phase.MASKING;
        }
        inPhase(clientId, Phase.MASKING, "read its shares");
        member(clientId, shared, "shared no keys");
        List<EncryptedShare> out = new ArrayList<>();
        mailbox.getOrDefault(clientId, Map.of()).forEach((sender, ciphertext) -> {
            if (shared.contains(sender)) {
                out.add(new EncryptedShare(sender, ciphertext));
            }
        });
        return out;
    }

    /**
     * Returns how many values the client's masked input in the round must carry, or refuses it
     * before anything is sent (a server on the network checks a masked input's header with this).
     *
     * @param clientId the client
     * @param round the round
     * @return the exact number of values
     * @throws InvalidInputException if the masked input would be refused
     */
    public synchronized int expectsMasked(int clientId, int round) {
        check(clientId, round);
        inPhase(clientId, Phase.MASKING, "hand in a masked input");
        member(clientId, shared, "shared no keys");
        if (masked.containsKey(clientId)) {
            throw new InvalidInputException("client " + clientId + " already submitted in round " + round);
        }
        return global.length;
    }

    @Override
    public synchronized void submitMasked(int clientId, int round, int[] input) {
        check(clientId, round);
        inPhase(clientId, Phase.MASKING, "hand in a masked input");
        member(clientId, shared, "shared no keys");
        if (masked.containsKey(clientId)) {
            throw new InvalidInputException("client " + clientId + " already submitted in round " + round);
        }
        if (input.length != global.length) {
            throw new InvalidInputException(
                    "client " + clientId + " sent " + input.length + " masked values, expected " + global.length);
        }
        masked.put(clientId, input.clone());
    }

    @Override
    public synchronized List<Integer> survivors(int clientId, int round) {
        check(clientId, round);
        if (phase == Phase.MASKING) {
            closeMasking();
        }
        inPhase(clientId, Phase.UNMASKING, "read the survivors");
        member(clientId, new HashSet<>(survivors), "handed in no masked input");
        return survivors;
    }

    @Override
    public synchronized void unmask(int clientId, int round, List<RevealedShare> shares) {
        check(clientId, round);
        inPhase(clientId, Phase.UNMASKING, "unmask");
        member(clientId, new HashSet<>(survivors), "handed in no masked input");
        if (unmasked.contains(clientId)) {
            throw new InvalidInputException("client " + clientId + " already sent its unmasking shares in round " + round);
        }
        Map<Integer, BigInteger> values = new TreeMap<>();
        for (RevealedShare s : shares) {
            values.put(s.owner(), Shamir.decodeShare(s.value(), "client " + s.owner()));
        }
        if (values.size() != shares.size() || !values.keySet().equals(shared)) {
            throw new InvalidInputException("client " + clientId + " sent unmasking shares of clients " + values.keySet()
                    + ", expected one for each of " + shared);
        }
        values.forEach((owner, value) -> revealed.computeIfAbsent(owner, k -> new TreeMap<>()).put(clientId + 1, value));
        unmasked.add(clientId);
    }

    /**
     * Drops a client from the round. Before the survivors are announced its masked input is left out
     * (it counts as dropped, and the survivors reveal its mask key); once they are, its input is
     * part of the sum the survivors unmask and stays in it. Either way it is refused from then on.
     */
    @Override
    public synchronized void discard(int clientId) {
        participants.remove(clientId);
        switch (phase) {
            case ADVERTISING -> {
                keys.remove(clientId);
                samples.remove(clientId);
            }
            case SHARING -> {
                shared.remove(clientId);
                mailbox.values().forEach(box -> box.remove(clientId));
            }
            case MASKING -> masked.remove(clientId);
            default -> { }
        }
    }

    /**
     * Closes the round: unmasks the sum of the survivors' inputs and moves the global weights by
     * their FedAvg's update with the server optimizer (plain FedAvg: to the FedAvg).
     *
     * @throws InvalidInputException if more clients dropped out than the threshold allows, or
     *     fewer than t survivors sent their shares; the global weights stay as they were
     */
    @Override
    public synchronized void endRound() {
        try {
            if (phase == Phase.CLOSED) {
                return;
            }
            if (phase != Phase.UNMASKING) {
                closeMasking();
            }
            if (unmasked.size() < threshold) {
                throw new InvalidInputException("secure aggregation cannot close round " + round + ": only "
                        + unmasked.size() + " of its " + survivors.size() + " surviving clients sent their unmasking "
                        + "shares, and " + threshold + " are needed; the global model stays as it was");
            }
            float[] average = unmaskedAverage();
            float[] update = new float[average.length];
            for (int i = 0; i < update.length; i++) {
                update[i] = average[i] - global[i];
            }
            global = optimizer.step(global, update);
        } finally {
            phase = Phase.CLOSED;
            clear();
        }
    }

    /** Returns the server optimizer, whose state a checkpoint keeps. */
    public ServerOptimizer optimizer() {
        return optimizer;
    }

    @Override
    public synchronized float[] globalWeights() {
        return global.clone();
    }

    /** Returns FedAvg over the survivors from the sum of their masked inputs and the revealed shares. */
    private float[] unmaskedAverage() {
        int[] sum = new int[global.length];
        long survivingSamples = 0;
        for (int u : survivors) {
            int[] y = masked.get(u);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += y[i];
            }
            survivingSamples += samples.get(u);
            MaskGenerator.add(Shamir.reconstruct(revealed.get(u), threshold, "client " + u + "'s self-mask seed"), -1, sum);
        }
        for (int v : shared) {
            if (masked.containsKey(v)) {
                continue;
            }
            // v dropped out after sharing keys: every survivor u added Delta_{u,v} PRG(s_{u,v}).
            byte[] maskKey = Shamir.reconstruct(revealed.get(v), threshold, "client " + v + "'s mask key");
            if (!Arrays.equals(X25519.publicOf(X25519.privateKey(maskKey)), keys.get(v).maskKey())) {
                throw new InvalidInputException(
                        "the survivors' shares of client " + v + "'s mask key do not rebuild the key it advertised");
            }
            for (int u : survivors) {
                byte[] seed = SecAggClient.pairwiseSeed(maskKey, keys.get(u).maskKey(), round, v, u);
                MaskGenerator.add(seed, u > v ? -1 : 1, sum);
            }
        }
        double rescale = (double) totalSamples / survivingSamples;
        float[] out = new float[sum.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (FixedPoint.decode(sum[i]) * rescale);
        }
        return out;
    }

    private void closeMasking() {
        survivors = List.copyOf(masked.keySet());
        phase = Phase.UNMASKING;
        if (survivors.size() < threshold) {
            throw new InvalidInputException("secure aggregation cannot close round " + round + ": "
                    + (selected - survivors.size()) + " of its " + selected + " clients dropped out, more than the "
                    + dropouts + " it tolerates ({secure-agg-dropouts}); the global model stays as it was");
        }
    }

    private void enough(int arrived, String did) {
        if (arrived < threshold) {
            throw new InvalidInputException("secure aggregation cannot go on in round " + round + ": only " + arrived
                    + " of its " + selected + " clients " + did + ", and " + threshold + " are needed ("
                    + dropouts + " may drop out, {secure-agg-dropouts})");
        }
    }

    private void check(int clientId, int messageRound) {
        if (messageRound != round) {
            throw new InvalidInputException(
                    "client " + clientId + " sent a message for round " + messageRound + " during round " + round);
        }
        if (!participants.contains(clientId) || phase == Phase.CLOSED) {
            throw new InvalidInputException("client " + clientId + " is not taking part in round " + round);
        }
    }

    private void inPhase(int clientId, Phase expected, String what) {
        if (phase != expected) {
            throw new InvalidInputException("client " + clientId + " tried to " + what + " in round " + round
                    + ", whose secure aggregation has moved on to " + phase.name().toLowerCase());
        }
    }

    private void member(int clientId, Set<Integer> set, String otherwise) {
        if (!set.contains(clientId)) {
            throw new InvalidInputException("client " + clientId + " " + otherwise + " in round " + round);
        }
    }

    private void clear() {
        participants.clear();
        keys.clear();
        samples.clear();
        totalSamples = 0;
        mailbox.clear();
        shared.clear();
        masked.clear();
        survivors = List.of();
        revealed.clear();
        unmasked.clear();
    }
}
