package dev.splitfed.internal.privacy;

import dev.splitfed.privacy.DpFedAvgConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.aggregate.ClientUpdate;
import dev.splitfed.internal.random.Seeds;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.api.Test;

class DpFedAvgTest {

    private static final NoiseSource NOISE = NoiseSource.seeded(3);

    @Test
    void clipsEachUpdateWeighsThemEquallyAndAddsNoiseOverTheExpectedCount() {
        DpFedAvg dp = new DpFedAvg(DpFedAvgConfig.parse("noise=0.5,clip=1"), 4, NOISE);
        // Updates (3, 4) -> clipped to (0.6, 0.8); (0.3, 0.4) stays. Sum (0.9, 1.2), over 4 expected clients.
        List<ClientUpdate> updates = List.of(
                new ClientUpdate(0, new float[] {3, 4}, 100), new ClientUpdate(1, new float[] {0.3f, 0.4f}, 1));
        float[] next = dp.update(2, updates, 7);
        UniformRandomProvider same = NOISE.rng("dp-fedavg", 7);
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(same);
        double n0 = g.sample();
        double n1 = g.sample();
        assertThat(next[0]).isCloseTo((float) ((0.9 + 0.5 * n0) / 4), within(1e-6f));
        assertThat(next[1]).isCloseTo((float) ((1.2 + 0.5 * n1) / 4), within(1e-6f));
        assertThat(dp.clip()).isEqualTo(1.0);
    }

    @Test
    void aRoundWithoutClientsStillAddsItsNoise() {
        DpFedAvg dp = new DpFedAvg(DpFedAvgConfig.parse("noise=1,clip=2"), 10, NOISE);
        float[] next = dp.update(3, List.of(), 1);
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(NOISE.rng("dp-fedavg", 1));
        for (float v : next) {
            assertThat(v).isCloseTo((float) (2 * g.sample() / 10), within(1e-6f));
        }
    }

    @Test
    void adaptiveClipMovesGeometricallyTowardsTheQuantile() {
        DpFedAvgConfig config = DpFedAvgConfig.parse("noise=1,clip=1,quantile=0.5,clip-lr=0.2,count-noise=2");
        DpFedAvg dp = new DpFedAvg(config, 2, NOISE);
        // Both updates have norm 5 > 1: none unclipped, so the clip should grow.
        List<ClientUpdate> updates = List.of(
                new ClientUpdate(0, new float[] {3, 4}, 1), new ClientUpdate(1, new float[] {-3, -4}, 1));
        dp.update(2, updates, 2);
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(NOISE.rng("dp-fedavg", 2));
        g.sample();
        g.sample();
        double unclippedFraction = (0 - 1 + 2 * g.sample()) / 2 + 0.5;
        assertThat(dp.clip()).isCloseTo(Math.exp(-0.2 * (unclippedFraction - 0.5)), within(1e-12));
    }

    @Test
    void withoutClippingOrNoiseItIsTheUnweightedMeanOfTheUpdates() {
        DpFedAvg dp = new DpFedAvg(DpFedAvgConfig.parse("noise=1e-12,clip=1e6"), 2, NOISE);
        float[] next = dp.update(2, List.of(
                new ClientUpdate(0, new float[] {2, 0}, 10), new ClientUpdate(1, new float[] {0, 4}, 30)), 1);
        assertThat(next[0]).isCloseTo(1f, within(1e-5f));
        assertThat(next[1]).isCloseTo(2f, within(1e-5f));
    }

    @Test
    void seededNoiseRepeatsAndSecureNoiseDoesNot() {
        assertThat(NoiseSource.seeded(1).rng("x", 2).nextLong()).isEqualTo(NoiseSource.seeded(1).rng("x", 2).nextLong());
        NoiseSource secure = NoiseSource.secure();
        assertThat(secure.rng("x", 2).nextLong()).isNotEqualTo(secure.rng("x", 2).nextLong());
        assertThat(Seeds.rng(1, "noise-x", 2).nextLong()).isEqualTo(NoiseSource.seeded(1).rng("x", 2).nextLong());
    }
}
