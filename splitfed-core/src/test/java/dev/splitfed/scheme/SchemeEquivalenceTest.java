package dev.splitfed.scheme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The invariants of shared/design.md, checked on the bundled Fashion-MNIST sample. */
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

    private static double maxAbsDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void sflv1MatchesFedAvgWithSameSeed() {
        float[] fl = train(small().optScheme(Scheme.FL).optClients(4).build());
        float[] sflv1 = train(small().optScheme(Scheme.SFLV1).optClients(4).build());
        assertThat(maxAbsDifference(fl, sflv1)).isLessThanOrEqualTo(1e-4);
        float[] sflv2 = train(small().optScheme(Scheme.SFLV2).optClients(4).build());
        assertThat(maxAbsDifference(fl, sflv2))
                .as("sflv2 trains one W_S in turn, so it must differ from FedAvg")
                .isGreaterThan(1e-3);
    }

    @Test
    void slWithOneClientEqualsCentral() {
        float[] central = train(small().optScheme(Scheme.CENTRAL).build());
        float[] sl = train(small().optScheme(Scheme.SL).optClients(1).build());
        assertThat(maxAbsDifference(central, sl)).isLessThanOrEqualTo(1e-4);
        float[] untrained = train(small().optScheme(Scheme.CENTRAL).optLearningRate(1e-12f).build());
        assertThat(maxAbsDifference(central, untrained)).as("training moved the weights").isGreaterThan(1e-2);
    }

    @ParameterizedTest
    @EnumSource(value = Scheme.class, names = {"FL", "SFLV1", "SFLV2"})
    void everySchemeWithOneClientEqualsCentral(Scheme scheme) {
        float[] central = train(small().optScheme(Scheme.CENTRAL).optRounds(1).build());
        float[] one = train(small().optScheme(scheme).optClients(1).optRounds(1).build());
        assertThat(maxAbsDifference(central, one)).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void sameSeedGivesIdenticalWeightsAndAnotherSeedDoesNot() {
        float[] a = train(small().optScheme(Scheme.SFLV2).optClients(3).build());
        float[] b = train(small().optScheme(Scheme.SFLV2).optClients(3).build());
        float[] c = train(small().optScheme(Scheme.SFLV2).optClients(3).optSeed(6).build());
        assertThat(a).containsExactly(b);
        assertThat(maxAbsDifference(a, c)).isGreaterThan(1e-3);
    }
}
