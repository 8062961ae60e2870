package dev.splitfed.internal.model;

import dev.splitfed.model.Architecture;
import dev.splitfed.internal.privacy.NoiseSource;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import dev.splitfed.privacy.SmashedNoise;

/**
 * An architecture with PixelDP's noise layer appended to the last client-side stage, so that
 * every forward pass of the client-side part (training, evaluation, an attack's replay) clips and
 * noises the smashed data. The layer has no parameters: weight layouts, checkpoints, FedAvg and
 * the cost model are those of the plain architecture.
 */
public final class NoisyCut implements Architecture {

    private final Architecture plain;
    private final int cut;
    private final SmashedNoise noise;
    private final NoiseSource source;

    private NoisyCut(Architecture plain, int cut, SmashedNoise noise, NoiseSource source) {
        this.plain = plain;
        this.cut = plain.checkCut(cut);
        this.noise = noise;
        this.source = source;
    }

    /**
     * Returns {@code plain} with the noise layer at the cut, or {@code plain} itself without noise.
     *
     * @param plain the network
     * @param cut the cut; stage {@code cut - 1} ends with the noise layer
     * @param noise the noise
     * @return the architecture clients and evaluation use
     */
    public static Architecture of(Architecture plain, int cut, SmashedNoise noise) {
        return of(plain, cut, noise, null);
    }

    /**
     * Returns {@code plain} with the noise layer at the cut, drawing its noise from {@code source}
     * instead of PyTorch's generator: what a deployed client must do, since PyTorch's generator
     * keeps 32 bits of its seed, few enough for a server to search.
     *
     * @param plain the network
     * @param cut the cut; stage {@code cut - 1} ends with the noise layer
     * @param noise the noise
     * @param source where the noise comes from, or null for PyTorch's generator (seeded by the run)
     * @return the architecture clients and evaluation use
     */
    public static Architecture of(Architecture plain, int cut, SmashedNoise noise, NoiseSource source) {
        return noise.enabled() ? new NoisyCut(plain, cut, noise, source) : plain;
    }

    /**
     * Returns the network without the noise layer.
     *
     * @param architecture a network, with or without noise at the cut
     * @return the plain network
     */
    public static Architecture unwrap(Architecture architecture) {
        return architecture instanceof NoisyCut noisy ? noisy.plain : architecture;
    }

    @Override
    public String name() {
        return plain.name();
    }

    @Override
    public int[] inputShape() {
        return plain.inputShape();
    }

    @Override
    public boolean carriesWeights() {
        return plain.carriesWeights();
    }

    @Override
    public int numClasses() {
        return plain.numClasses();
    }

    @Override
    public int stages() {
        return plain.stages();
    }

    @Override
    public boolean languageModel() {
        return plain.languageModel();
    }

    @Override
    public Block stage(int stage) {
        Block block = plain.stage(stage);
        return stage == cut - 1 ? new SequentialBlock().add(block).add(new CutNoiseBlock(noise, source)) : block;
    }
}
