package dev.splitfed.model;

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

    private NoisyCut(Architecture plain, int cut, SmashedNoise noise) {
        this.plain = plain;
        this.cut = plain.checkCut(cut);
        this.noise = noise;
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
        return noise.enabled() ? new NoisyCut(plain, cut, noise) : plain;
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
    public int numClasses() {
        return plain.numClasses();
    }

    @Override
    public int stages() {
        return plain.stages();
    }

    @Override
    public Block stage(int stage) {
        Block block = plain.stage(stage);
        return stage == cut - 1 ? new SequentialBlock().add(block).add(new CutNoiseBlock(noise)) : block;
    }
}
