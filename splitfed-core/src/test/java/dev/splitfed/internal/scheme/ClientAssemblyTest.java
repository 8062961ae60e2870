package dev.splitfed.internal.scheme;

import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.SimulationConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.splitfed.byzantine.Attack;
import dev.splitfed.data.Dataset;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.internal.model.SplitModel;
import dev.splitfed.internal.privacy.NoiseSource;
import dev.splitfed.internal.role.FedServer;
import dev.splitfed.internal.role.MainServer;
import dev.splitfed.internal.role.PersonalHead;
import dev.splitfed.internal.role.SplitClient;
import dev.splitfed.internal.role.StepResult;
import dev.splitfed.internal.role.UShapedClient;
import dev.splitfed.internal.transport.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The decorators around a client's view of the fed server, in their one order, and the client each scheme gets. */
class ClientAssemblyTest {

    // mlp on 4 features, 3 classes: dense 64 | dense 32 | dense 3, whose 32 * 3 + 3 = 99 values are the head.
    private final Architecture arch = Architecture.create("mlp", new int[] {4}, 3);
    private final Dataset data = new Dataset("tiny", features(40), IntStream.range(0, 40).map(i -> i % 3).toArray(),
            new int[] {4}, List.of("a", "b", "c"));

    private static float[] features(int n) {
        float[] out = new float[n * 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.sin(i);
        }
        return out;
    }

    /** A fed server that hands out fixed weights and keeps what the client hands in. */
    private static final class Recording implements FedServer {
        final float[] start;
        float[] submitted;

        Recording(float[] start) {
            this.start = start;
        }

        @Override
        public float[] download(int clientId, int round) {
            return start.clone();
        }

        @Override
        public void submit(int clientId, int round, float[] weights, int samples) {
            submitted = weights.clone();
        }
    }

    /** The head the last client of {@link #submitted} ended with. */
    private float[] head;

    private SimulationConfig.Builder fedPer() {
        return SimulationConfig.builder().optScheme(Scheme.FL).optClients(2).optPersonalHead(true).optBatchSize(8);
    }

    /** Trains one round of client 0 and returns what reached the fed server. */
    private float[] submitted(SimulationConfig cfg, Attack attack) {
        float[] whole;
        try (SplitModel model = SplitModel.create(arch, 1)) {
            whole = SplitModel.concat(model.client().defaultInitialWeights(1, "c"), model.server().defaultInitialWeights(1, "s"));
        }
        int base = whole.length - PersonalHead.size(arch);
        Recording fed = new Recording(Arrays.copyOf(whole, base));
        ClientAssembly assembly = ClientAssembly.builder(cfg, arch)
                .setData(0, data, IntStream.range(0, 40).toArray())
                .setFedServer(fed)
                .setNoise(NoiseSource.seeded(cfg.seed()))
                .optAttack(attack)
                .optPersonalHead(Arrays.copyOfRange(whole, base, whole.length))
                .build();
        assembly.client().train(1);
        head = assembly.personalHead().head();
        assertThat(head).as("the trained head stays with the client").hasSize(99)
                .isNotEqualTo(Arrays.copyOfRange(whole, base, whole.length));
        return fed.submitted;
    }

    @Test
    void theHeadIsCutOffFirstAndOnlyTheBaseIsPoisoned() {
        Attack scale = Attack.parse("scale:3");
        float[] honest = submitted(fedPer().build(), null);
        float[] honestHead = head;
        float[] poisoned = submitted(fedPer().optMalicious(1).optAttack(scale).build(), scale);
        assertThat(head).as("the head is cut off before the poison").containsExactly(honestHead);
        float[] start;
        try (SplitModel model = SplitModel.create(arch, 1)) {
            start = SplitModel.concat(model.client().defaultInitialWeights(1, "c"), model.server().defaultInitialWeights(1, "s"));
        }
        assertThat(honest).hasSize(start.length - 99);
        assertThat(poisoned).hasSize(start.length - 99);
        double moved = 0;
        for (int i = 0; i < honest.length; i++) {
            assertThat(poisoned[i]).isCloseTo(start[i] + 3 * (honest[i] - start[i]), offset(1e-5f));
            moved = Math.max(moved, Math.abs(honest[i] - start[i]));
        }
        assertThat(moved).as("the client trained").isGreaterThan(1e-3);
    }

    @Test
    void eachSchemeGetsItsClientAndMissingPartsAreRefused() {
        FedServer fed = new Recording(new float[0]);
        SimulationConfig sflv1 = SimulationConfig.builder().optClients(2).build();
        ClientAssembly.Builder split = ClientAssembly.builder(sflv1, arch).setData(0, data, new int[] {0, 1})
                .setFedServer(fed).setNoise(NoiseSource.seeded(1));
        assertThatThrownBy(split::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("a main server");
        MainServer main = new MainServer() {
            @Override
            public StepResult step(int clientId, int round, Tensor smashed, int[] labels) {
                throw new AssertionError("the assembly never calls its main server");
            }

            @Override
            public Tensor forward(int clientId, int round, Tensor smashed) {
                throw new AssertionError("the assembly never calls its main server");
            }

            @Override
            public Tensor backward(int clientId, int round, Tensor gradient) {
                throw new AssertionError("the assembly never calls its main server");
            }
        };
        assertThat(split.optMainServer(main).build().client()).isInstanceOf(SplitClient.class);
        SimulationConfig uShaped = SimulationConfig.builder().optClients(2).optLabels(LabelSharing.PRIVATE).build();
        assertThat(ClientAssembly.builder(uShaped, arch).setData(0, data, new int[] {0, 1}).setFedServer(fed)
                .setNoise(NoiseSource.seeded(1)).optMainServer(main).build().client()).isInstanceOf(UShapedClient.class);
        SimulationConfig fl = SimulationConfig.builder().optScheme(Scheme.FL).optClients(2).optSecureAgg(true).build();
        assertThatThrownBy(() -> ClientAssembly.builder(fl, arch).setData(0, data, new int[] {0, 1}).setFedServer(fed)
                .setNoise(NoiseSource.seeded(1)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("secure aggregation's server");
    }
}
