package dev.splitfed.internal.privacy;

import dev.splitfed.privacy.DpFedAvgConfig;
import dev.splitfed.aggregate.ClientUpdate;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * The fed server's step of user-level DP-FedAvg (McMahan et al. 2018, Algorithm 1, with the fixed
 * denominator): every client's update, its weights minus the round's global weights, is clipped to
 * L2 norm S and counted with the same weight; Gaussian noise of standard deviation {@code z * S} is
 * added to the sum, which is divided by the expected number of clients per round (so that one
 * client, present or not, moves the result by at most {@code S / expected}); the fed server's
 * optimizer applies the result to the global weights. A round nobody completed still adds its noise.
 *
 * <p>With adaptive clipping (Andrew et al. 2021, Algorithm 1), the server also counts the updates
 * that needed no clipping, adds noise of standard deviation sigma_b to that count (centred, so one
 * client changes it by at most 1/2), and moves S geometrically towards the target quantile:
 * {@code S <- S * exp(-eta_C * (b - gamma))}, b being the noisy fraction unclipped.
 */
public final class DpFedAvg {

    private final DpFedAvgConfig config;
    private final double expectedClients;
    private final double updateNoise;
    private final NoiseSource noise;
    private double clip;

    /**
     * Creates the mechanism.
     *
     * @param config its settings
     * @param expectedClients clients per round on average: the sampling rate times the clients, > 0
     * @param noise where the noise comes from
     */
    public DpFedAvg(DpFedAvgConfig config, double expectedClients, NoiseSource noise) {
        if (!(expectedClients > 0)) {
            throw new IllegalArgumentException("expectedClients must be > 0, got " + expectedClients);
        }
        this.config = config;
        this.expectedClients = expectedClients;
        this.updateNoise = config.updateNoise(expectedClients);
        this.noise = noise;
        this.clip = config.clip();
    }

    /** Returns the clipping norm the next round uses. */
    public double clip() {
        return clip;
    }

    /**
     * Returns the round's noised update, which the fed server's optimizer then applies (added, for
     * plain DP-FedAvg; any other server optimizer post-processes it, at no privacy cost).
     *
     * @param length the number of weights
     * @param updates the updates of the round's clients (possibly none)
     * @param round the round, which names its noise
     * @return a new vector of {@code length} values
     */
    public float[] update(int length, List<ClientUpdate> updates, int round) {
        ClippedSum sum = new ClippedSum(length, clip);
        int unclipped = 0;
        for (ClientUpdate u : updates) {
            if (sum.add(u.delta()) <= clip) {
                unclipped++;
            }
        }
        UniformRandomProvider rng = noise.rng("dp-fedavg", round);
        float[] step = sum.release(updateNoise, expectedClients, rng);
        if (config.adaptive()) {
            double centred = unclipped - updates.size() / 2.0
                    + config.countNoise(expectedClients) * ZigguratSampler.NormalizedGaussian.of(rng).sample();
            double fraction = centred / expectedClients + 0.5;
            clip *= Math.exp(-config.clipLearningRate() * (fraction - config.quantile()));
        }
        return step;
    }
}
