package dev.splitfed.internal.random;

import java.nio.charset.StandardCharsets;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Derives independent random streams from one run seed, so that every random choice of a run
 * (initial weights, client selection, each client's batch order in each round) has its own stream
 * and does not depend on the order in which roles happen to run.
 *
 * <p>Two runs that differ only in scheme draw the same batch order for the same client and round;
 * this is what lets SFLV1 reproduce FedAvg exactly.
 */
public final class Seeds {

    private Seeds() {}

    /**
     * Returns a 64-bit seed for the stream named {@code stream} with the given indices.
     *
     * @param seed the run seed
     * @param stream the purpose of the stream, e.g. {@code "batches"}
     * @param indices e.g. a client id and a round number
     * @return a well-mixed seed
     */
    public static long derive(long seed, String stream, long... indices) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (byte b : stream.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ b);
        }
        for (long i : indices) {
            h = mix(h ^ i);
        }
        return h;
    }

    /**
     * Returns a generator for the stream named {@code stream} with the given indices.
     *
     * @param seed the run seed
     * @param stream the purpose of the stream
     * @param indices e.g. a client id and a round number
     * @return a fresh generator (xoroshiro128++)
     */
    public static UniformRandomProvider rng(long seed, String stream, long... indices) {
        return RandomSource.XO_RO_SHI_RO_128_PP.create(derive(seed, stream, indices));
    }

    // The SplitMix64 finaliser (Steele, Lea & Flood 2014): a bijection with good avalanche.
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
