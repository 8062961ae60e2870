package dev.splitfed.internal.privacy;

import dev.splitfed.internal.random.Seeds;
import java.security.SecureRandom;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Where differential-privacy noise comes from. A simulation draws it from the run seed, so a run
 * can be repeated exactly; a deployment must not, since everyone who knows the seed (every client
 * is told the run's settings) could regenerate the noise and subtract it.
 */
@FunctionalInterface
public interface NoiseSource {

    /**
     * Returns a generator for one use of noise.
     *
     * @param stream what the noise is for, e.g. {@code "dp-sgd"}
     * @param indices e.g. a client, a round, an epoch
     * @return a fresh generator
     */
    UniformRandomProvider rng(String stream, long... indices);

    /**
     * Returns noise drawn from the run seed: reproducible, for simulations only.
     *
     * @param seed the run seed
     */
    static NoiseSource seeded(long seed) {
        return (stream, indices) -> Seeds.rng(seed, "noise-" + stream, indices);
    }

    /**
     * Returns noise that nobody can predict: each generator's 128-bit state comes from the
     * operating system's {@link SecureRandom}.
     */
    static NoiseSource secure() {
        SecureRandom seeds = new SecureRandom();
        return (stream, indices) -> RandomSource.XO_RO_SHI_RO_128_PP.create(new long[] {seeds.nextLong(), seeds.nextLong()});
    }
}
