package dev.splitfed.internal.data;

import dev.splitfed.internal.random.Seeds;
import java.util.Arrays;
import org.apache.commons.rng.sampling.PermutationSampler;

/**
 * A client's samples divided into those it trains on and those it holds out to evaluate the model
 * it would use (its own test set, as in FedPer's evaluation; Arivazhagan et al. 2019): a seeded
 * random {@code floor(fraction * n)} of its n samples are held out, the rest (at least one) trained on.
 * The choice depends only on the run seed, the client and its samples, so an in-process client and
 * a deployed one hold out the same samples.
 *
 * @param train the ascending indices the client trains on, never empty
 * @param test the ascending indices it holds out, possibly empty
 */
public record LocalHoldout(int[] train, int[] test) {

    /**
     * Divides a client's samples.
     *
     * @param indices the client's samples, at least one
     * @param fraction the share to hold out, in {@code [0, 1)}
     * @param seed the run seed
     * @param clientId the client
     * @return the two parts
     */
    public static LocalHoldout of(int[] indices, double fraction, long seed, int clientId) {
        if (!(fraction >= 0 && fraction < 1) || indices.length == 0) {
            throw new IllegalArgumentException("a holdout needs a fraction in [0, 1) of at least one sample, got "
                    + fraction + " of " + indices.length);
        }
        int held = (int) Math.floor(fraction * indices.length);
        if (held == 0) {
            return new LocalHoldout(indices.clone(), new int[0]);
        }
        int[] shuffled = indices.clone();
        PermutationSampler.shuffle(Seeds.rng(seed, "holdout", clientId), shuffled);
        int[] test = Arrays.copyOf(shuffled, held);
        int[] train = Arrays.copyOfRange(shuffled, held, shuffled.length);
        Arrays.sort(test);
        Arrays.sort(train);
        return new LocalHoldout(train, test);
    }
}
