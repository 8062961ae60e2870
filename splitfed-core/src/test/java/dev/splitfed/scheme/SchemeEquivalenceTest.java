package dev.splitfed.scheme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.model.LabelSharing;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The invariants of docs/design.md, checked on the bundled Fashion-MNIST sample. */
class SchemeEquivalenceTest {

    private static DataSplit data;

    @BeforeAll
    static void loadSample() {
        data = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());
    }

    private static SimulationConfig.Builder small() {
        return SimulationConfig.builder().optLimit(640).optBatchSize(32).optRounds(2).optThreads(1).optSeed(5);
    }

    private static float[] train(SimulationConfig config) {
        return new Simulation(config, data, "lenet5").run(new SimulationListener() {}).globalWeights();
    }

    @Test
    void sflv1MatchesFedAvgWithSameSeed() {
        // 650 samples over 4 clients: 163, 163, 162, 162, so weighting by sample count matters.
        float[] fl = train(small().optLimit(650).optScheme(Scheme.FL).optClients(4).build());
        float[] sflv1 = train(small().optLimit(650).optScheme(Scheme.SFLV1).optClients(4).build());
        assertThat(Weights.maxAbsDifference(fl, sflv1)).isLessThanOrEqualTo(1e-4);
        float[] sflv2 = train(small().optLimit(650).optScheme(Scheme.SFLV2).optClients(4).build());
        assertThat(Weights.maxAbsDifference(fl, sflv2))
                .as("sflv2 trains one W_S in turn, so it must differ from FedAvg")
                .isGreaterThan(1e-3);
    }

    @Test
    void slWithOneClientEqualsCentral() {
        float[] central = train(small().optScheme(Scheme.CENTRAL).build());
        float[] sl = train(small().optScheme(Scheme.SL).optClients(1).build());
        assertThat(Weights.maxAbsDifference(central, sl)).isLessThanOrEqualTo(1e-4);
        float[] untrained = train(small().optScheme(Scheme.CENTRAL).optLearningRate(1e-12f).build());
        assertThat(Weights.maxAbsDifference(central, untrained)).as("training moved the weights").isGreaterThan(1e-2);
    }

    @ParameterizedTest
    @EnumSource(value = Scheme.class, names = {"FL", "SFLV1", "SFLV2"})
    void everySchemeWithOneClientEqualsCentral(Scheme scheme) {
        float[] central = train(small().optScheme(Scheme.CENTRAL).optRounds(1).build());
        float[] one = train(small().optScheme(scheme).optClients(1).optRounds(1).build());
        assertThat(Weights.maxAbsDifference(central, one)).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void sflv1WithPrivateLabelsMatchesFedAvgAsSharedLabelsDo() {
        float[] fl = train(small().optLimit(650).optScheme(Scheme.FL).optClients(4).build());
        float[] shared = train(small().optLimit(650).optScheme(Scheme.SFLV1).optClients(4).build());
        float[] uShape = train(small().optLimit(650).optScheme(Scheme.SFLV1).optClients(4)
                .optLabels(LabelSharing.PRIVATE).build());
        assertThat(Weights.maxAbsDifference(fl, uShape)).isLessThanOrEqualTo(1e-4);
        assertThat(Weights.maxAbsDifference(shared, uShape)).isLessThanOrEqualTo(1e-4);
    }

    @ParameterizedTest
    @EnumSource(value = Scheme.class, names = {"SL", "SFLV1", "SFLV2"})
    void privateLabelsWithOneClientEqualCentral(Scheme scheme) {
        float[] central = train(small().optScheme(Scheme.CENTRAL).build());
        float[] one = train(small().optScheme(scheme).optClients(1).optLabels(LabelSharing.PRIVATE).build());
        assertThat(Weights.maxAbsDifference(central, one)).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void slWithPrivateLabelsEqualsSlWithSharedLabels() {
        // In sl everything is trained in turn; the head merely travels with W_C instead of staying in W_S.
        float[] shared = train(small().optScheme(Scheme.SL).optClients(3).build());
        float[] uShape = train(small().optScheme(Scheme.SL).optClients(3).optLabels(LabelSharing.PRIVATE).build());
        assertThat(Weights.maxAbsDifference(shared, uShape)).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void sflv2WithPrivateLabelsAveragesTheHeadInsteadOfTrainingItInTurn() {
        // The head moves from the one sequentially trained W_S to the clients, whose copies the fed
        // server averages: the same data, another model.
        float[] shared = train(small().optScheme(Scheme.SFLV2).optClients(3).build());
        float[] uShape = train(small().optScheme(Scheme.SFLV2).optClients(3).optLabels(LabelSharing.PRIVATE).build());
        assertThat(Weights.maxAbsDifference(shared, uShape)).isGreaterThan(1e-3);
    }

    @Test
    void sflv2ServesClientsInASeededOrderThatChangesEveryRound() {
        List<Integer> clients = List.of(0, 1, 2, 3, 4, 5, 6, 7);
        Set<List<Integer>> orders = new HashSet<>();
        for (int round = 1; round <= 5; round++) {
            List<Integer> order = ClientSelection.serviceOrder(Scheme.SFLV2, 9, round, clients);
            assertThat(order).containsExactlyInAnyOrderElementsOf(clients);
            assertThat(ClientSelection.serviceOrder(Scheme.SFLV2, 9, round, clients)).isEqualTo(order);
            orders.add(order);
        }
        assertThat(orders).as("five rounds, five different orders of 8 clients").hasSize(5);
        assertThat(ClientSelection.serviceOrder(Scheme.SL, 9, 1, clients)).isEqualTo(clients);
        assertThat(ClientSelection.serviceOrder(Scheme.SFLV1, 9, 1, clients)).isEqualTo(clients);
    }

    @Test
    void sameSeedGivesIdenticalWeightsAndAnotherSeedDoesNot() {
        float[] a = train(small().optScheme(Scheme.SFLV2).optClients(3).build());
        float[] b = train(small().optScheme(Scheme.SFLV2).optClients(3).build());
        float[] c = train(small().optScheme(Scheme.SFLV2).optClients(3).optSeed(6).build());
        assertThat(a).containsExactly(b);
        assertThat(Weights.maxAbsDifference(a, c)).isGreaterThan(1e-3);
    }
}
