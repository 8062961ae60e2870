package dev.splitfed.internal.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The protocol of Bonawitz et al. 2017 between {@link SecAggClient}s and a {@link SecAggFedServer}:
 * the result is FedAvg over the survivors, the server sees only uniform-looking inputs, and up to T
 * dropouts are survived while T + 1 fail the round.
 */
class SecAggProtocolTest {

    /** Records what the server receives of each client's weights: only masked inputs can arrive. */
    private static class Recording implements SecAggServer {
        final SecAggServer server;
        final Map<Integer, int[]> inputs = new HashMap<>();

        Recording(SecAggServer server) {
            this.server = server;
        }

        @Override public void advertiseKeys(int c, int r, PublicKeys k, int s) { server.advertiseKeys(c, r, k, s); }
        @Override public Roster roster(int c, int r) { return server.roster(c, r); }
        @Override public void shareKeys(int c, int r, List<EncryptedShare> s) { server.shareKeys(c, r, s); }
        @Override public List<EncryptedShare> inbox(int c, int r) { return server.inbox(c, r); }
        @Override public List<Integer> survivors(int c, int r) { return server.survivors(c, r); }
        @Override public void unmask(int c, int r, List<RevealedShare> s) { server.unmask(c, r, s); }

        @Override
        public void submitMasked(int c, int r, int[] masked) {
            inputs.put(c, masked.clone());
            server.submitMasked(c, r, masked);
        }
    }

    /** Five clients (or as given) with random weights and sample counts, and the server. */
    private static final class Harness {
        final int n;
        final int dropouts;
        final float[][] weights;
        final int[] samples;
        final SecAggFedServer server;
        final Recording wire;
        final List<SecAggClient> clients = new ArrayList<>();

        Harness(int n, int dropouts, int length, long seed) {
            this.n = n;
            this.dropouts = dropouts;
            SecureRandom random = PrimitivesTest.seeded(seed);
            weights = new float[n][length];
            samples = new int[n];
            for (int k = 0; k < n; k++) {
                samples[k] = 50 + 37 * k;
                for (int i = 0; i < length; i++) {
                    weights[k][i] = (float) ((random.nextDouble() - 0.5) * 4);
                }
            }
            server = new SecAggFedServer(new float[length], n - dropouts, dropouts);
            wire = new Recording(server);
            for (int k = 0; k < n; k++) {
                clients.add(new SecAggClient(k, samples[k], n - dropouts, wire, PrimitivesTest.seeded(seed * 100 + k)));
            }
        }

        /** Runs a round in which {@code silent} never hand in their weights and {@code mute} do not unmask. */
        void round(int round, Set<Integer> silent, Set<Integer> mute) {
            List<Integer> all = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                all.add(k);
            }
            server.beginRound(round, all);
            clients.forEach(c -> c.advertiseKeys(round));
            clients.forEach(c -> c.shareKeys(round));
            for (SecAggClient c : clients) {
                if (!silent.contains(c.id())) {
                    new MaskingFedServer(server, c).submit(c.id(), round, weights[c.id()], samples[c.id()]);
                }
            }
            for (SecAggClient c : clients) {
                if (!silent.contains(c.id()) && !mute.contains(c.id())) {
                    c.unmask(round);
                }
            }
            server.endRound();
        }

        /** FedAvg over the given clients, in double precision. */
        double[] fedAvg(Set<Integer> over) {
            double[] out = new double[weights[0].length];
            double total = over.stream().mapToInt(k -> samples[k]).sum();
            for (int k : over) {
                for (int i = 0; i < out.length; i++) {
                    out[i] += samples[k] / total * weights[k][i];
                }
            }
            return out;
        }
    }

    private final Harness h = new Harness(5, 2, 200, 7);

    private static double maxAbsDifference(float[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** n clients' rounding, rescaled after dropouts, plus float32 rounding of values up to 2. */
    private static final double FIXED_POINT_ERROR = 5 * Math.pow(2, -21) * 5 / 3 + 2 * Math.pow(2, -23);

    @Test
    void aggregateEqualsFedAvgWithinTheFixedPointError() {
        h.round(1, Set.of(), Set.of());
        double error = maxAbsDifference(h.server.globalWeights(), h.fedAvg(Set.of(0, 1, 2, 3, 4)));
        assertThat(error).isLessThanOrEqualTo(FIXED_POINT_ERROR);
        assertThat(error).as("fixed point does round").isGreaterThan(0);
    }

    @Test
    void survivesTDropoutsAfterSharingKeys() {
        h.round(1, Set.of(1, 3), Set.of());
        assertThat(maxAbsDifference(h.server.globalWeights(), h.fedAvg(Set.of(0, 2, 4)))).isLessThanOrEqualTo(FIXED_POINT_ERROR);
    }

    @Test
    void survivorsThatDoNotUnmaskAreFineWhileTOfThemDo() {
        h.round(1, Set.of(4), Set.of(0));
        assertThat(maxAbsDifference(h.server.globalWeights(), h.fedAvg(Set.of(0, 1, 2, 3)))).isLessThanOrEqualTo(FIXED_POINT_ERROR);
    }

    @Test
    void tPlusOneDropoutsFailTheRoundLoudlyAndKeepTheModel() {
        float[] before = h.server.globalWeights();
        assertThatThrownBy(() -> h.round(1, Set.of(0, 2, 3), Set.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("secure aggregation cannot close round 1: 3 of its 5 clients dropped out, more than the 2 it "
                        + "tolerates (secure-agg-dropouts); the global model stays as it was");
        assertThat(h.server.globalWeights()).containsExactly(before);
        // the next round runs as usual
        h.round(2, Set.of(), Set.of());
        assertThat(maxAbsDifference(h.server.globalWeights(), h.fedAvg(Set.of(0, 1, 2, 3, 4)))).isLessThanOrEqualTo(FIXED_POINT_ERROR);
    }

    @Test
    void tooFewUnmaskingSharesFailTheRound() {
        float[] before = h.server.globalWeights();
        assertThatThrownBy(() -> h.round(1, Set.of(4), Set.of(0, 1)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("only 2 of its 4 surviving clients sent their unmasking shares, and 3 are needed");
        assertThat(h.server.globalWeights()).containsExactly(before);
    }

    @Test
    void theServerHoldsNoPlainWeights() {
        assertThatThrownBy(() -> h.server.submit(0, 1, h.weights[0], h.samples[0]))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("takes masked inputs only");
        h.round(1, Set.of(), Set.of());
        long total = java.util.Arrays.stream(h.samples).sum();
        for (int k = 0; k < h.n; k++) {
            int[] plain = FixedPoint.encode(h.weights[k], (double) h.samples[k] / total, "client " + k);
            int[] seen = h.wire.inputs.get(k);
            int equal = 0;
            for (int i = 0; i < plain.length; i++) {
                equal += plain[i] == seen[i] ? 1 : 0;
            }
            assertThat(equal).as("client %d's masked input shares values with its plain one", k).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void maskedInputsOfAllZeroWeightsAreUniform() {
        // Three clients hand in zeros: what the server receives must look like uniform 32-bit integers.
        Harness zeros = new Harness(3, 1, 65_536, 11);
        for (float[] w : zeros.weights) {
            java.util.Arrays.fill(w, 0f);
        }
        zeros.round(1, Set.of(), Set.of());
        assertThat(zeros.server.globalWeights()).containsOnly(0f);
        for (int[] input : zeros.wire.inputs.values()) {
            // 16 buckets of the top 4 bits and of the low 4 bits: chi-square with 15 degrees of
            // freedom stays below 37.70 with probability 0.999 for uniform values.
            assertThat(chiSquare(input, 28)).isLessThan(37.70);
            assertThat(chiSquare(input, 0)).isLessThan(37.70);
            double mean = java.util.Arrays.stream(input).mapToDouble(v -> Integer.toUnsignedLong(v) / 0x1p32).average().orElseThrow();
            assertThat(mean).isBetween(0.49, 0.51);
        }
        int[] skewed = new int[65_536];
        for (int i = 0; i < skewed.length; i++) {
            skewed[i] = (i % 17) << 28;
        }
        assertThat(chiSquare(skewed, 28)).as("the test notices a non-uniform input").isGreaterThan(100);
    }

    private static double chiSquare(int[] values, int shift) {
        long[] counts = new long[16];
        for (int v : values) {
            counts[(v >>> shift) & 15]++;
        }
        double expected = values.length / 16.0;
        double chi = 0;
        for (long c : counts) {
            chi += (c - expected) * (c - expected) / expected;
        }
        return chi;
    }

    @Test
    void pairwiseMasksCancelExactly() {
        SecureRandom random = PrimitivesTest.seeded(5);
        int users = 4;
        KeyPair[] keys = new KeyPair[users];
        for (int u = 0; u < users; u++) {
            keys[u] = X25519.generate(random);
        }
        int[] sum = new int[1000];
        for (int u = 0; u < users; u++) {
            for (int v = 0; v < users; v++) {
                if (u != v) {
                    byte[] seed = SecAggClient.pairwiseSeed(X25519.encode(keys[u].getPrivate()),
                            X25519.encode(keys[v].getPublic()), 9, u, v);
                    MaskGenerator.add(seed, u > v ? 1 : -1, sum);
                }
            }
        }
        assertThat(sum).containsOnly(0);
        byte[] uv = SecAggClient.pairwiseSeed(X25519.encode(keys[0].getPrivate()), X25519.encode(keys[1].getPublic()), 9, 0, 1);
        byte[] vu = SecAggClient.pairwiseSeed(X25519.encode(keys[1].getPrivate()), X25519.encode(keys[0].getPublic()), 9, 1, 0);
        assertThat(uv).containsExactly(vu);
        assertThat(MaskGenerator.expand(uv, 1000)).isNotEqualTo(new int[1000]);
    }

    @Test
    void clientsRefuseARosterWithAnotherThreshold() {
        SecAggServer lying = new Recording(h.server) {
            @Override
            public Roster roster(int c, int r) {
                Roster real = super.roster(c, r);
                return new Roster(1, real.totalSamples(), real.members());
            }
        };
        SecAggClient client = new SecAggClient(0, h.samples[0], h.n - h.dropouts, lying, PrimitivesTest.seeded(1));
        h.server.beginRound(1, List.of(0, 1, 2, 3, 4));
        client.advertiseKeys(1);
        for (int k = 1; k < h.n; k++) {
            h.clients.get(k).advertiseKeys(1);
        }
        assertThatThrownBy(() -> client.shareKeys(1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has threshold 1, but the run's is 3");
    }

    @Test
    void theServerRefusesMalformedAndOutOfPhaseMessages() {
        h.server.beginRound(1, List.of(0, 1, 2, 3, 4));
        h.clients.forEach(c -> c.advertiseKeys(1));
        assertThatThrownBy(() -> h.server.advertiseKeys(7, 1, new PublicKeys(new byte[32], new byte[32]), 5))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("client 7 is not taking part in round 1");
        assertThatThrownBy(() -> h.server.advertiseKeys(0, 1, new PublicKeys(new byte[32], new byte[32]), 5))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("already advertised");
        h.clients.forEach(c -> c.shareKeys(1));
        assertThatThrownBy(() -> h.server.shareKeys(0, 1, List.of()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("already shared keys");
        assertThatThrownBy(() -> h.server.submitMasked(0, 1, new int[200]))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("moved on to sharing");
        h.server.inbox(0, 1);
        assertThatThrownBy(() -> h.server.submitMasked(0, 1, new int[3]))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("sent 3 masked values, expected 200");
        assertThatThrownBy(() -> h.server.submitMasked(0, 2, new int[200]))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("for round 2 during round 1");
    }
}
