package dev.splitfed.internal.attack;

import ai.djl.ndarray.NDManager;
import dev.splitfed.data.Dataset;
import dev.splitfed.internal.data.FashionMnist;
import dev.splitfed.internal.engine.Shapes;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.model.Architecture;
import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.random.Seeds;
import java.nio.FloatBuffer;
import org.apache.commons.rng.sampling.PermutationSampler;

/**
 * The model inversion attack on a split run's smashed data: an honest-but-curious main server that
 * colludes with the fed server (so it knows the client-side weights W_C) and holds auxiliary samples
 * from the clients' distribution computes their smashed data exactly as a client would (noise layer
 * included), standardises them, trains an {@link InversionDecoder} on the pairs, and reconstructs the victims' inputs
 * from the smashed data they send. The baseline is the guess without smashed data: the mean
 * auxiliary input.
 *
 * <p>Images are compared in pixel space, {@code [0, 1]} (Fashion-MNIST's normalisation undone,
 * reconstructions clamped to the range, which the attacker knows); tabular rows in their
 * standardised units.
 */
public final class InversionAttack {

    private static final int FORWARD_BATCH = 500;

    private InversionAttack() {}

    /**
     * How the decoder trains.
     *
     * @param epochs passes over the auxiliary pairs, {@code >= 1}
     * @param batchSize pairs per step, {@code >= 1}
     * @param learningRate Adam's learning rate, {@code > 0}
     * @param seed seeds the noise, the decoder's initial weights and its batch order
     */
    public record Settings(int epochs, int batchSize, float learningRate, long seed) {}

    /**
     * What the attack achieved.
     *
     * @param decoder the reconstructions' quality
     * @param baseline the quality of guessing the mean auxiliary input for every victim
     * @param trainingLoss the decoder's mean squared error on the auxiliary pairs in its last epoch
     *     (in the model's input units)
     * @param victims the victims' inputs (pixels for images)
     * @param reconstructions the reconstructions, same layout
     * @param inputShape one input's shape
     */
    public record Result(
            ReconstructionQuality decoder,
            ReconstructionQuality baseline,
            double trainingLoss,
            float[] victims,
            float[] reconstructions,
            int[] inputShape) {

        /** Returns whether the inputs are images (channels, height, width). */
        public boolean images() {
            return inputShape.length == 3;
        }
    }

    /**
     * Runs the attack.
     *
     * @param architecture the network as the run's clients apply it (with its noise layer, if any)
     * @param cut the run's cut; the client side is stages {@code [0, cut)}
     * @param clientWeights W_C
     * @param aux the attacker's auxiliary samples
     * @param victims the samples whose inputs the attacker reconstructs
     * @param settings how the decoder trains
     * @return the reconstructions and their quality
     */
    public static Result run(Architecture architecture, int cut, float[] clientWeights, Dataset aux, Dataset victims,
            Settings settings) {
        Torch.seed(settings.seed());
        float[] auxSmashed;
        float[] victimSmashed;
        int[] smashedShape;
        try (ModelPart client = ModelPart.create(architecture, 0, cut, clientWeights)) {
            smashedShape = client.outputShape();
            auxSmashed = smash(client, aux);
            victimSmashed = smash(client, victims);
        }
        standardise(auxSmashed, victimSmashed);
        int[] inputShape = aux.sampleShape();
        float[] reconstructed;
        double loss;
        try (InversionDecoder decoder = InversionDecoder.create(smashedShape, inputShape)) {
            loss = decoder.train(auxSmashed, aux.features(), settings.epochs(), settings.batchSize(),
                    settings.learningRate(), Seeds.rng(settings.seed(), "inversion-batches"));
            reconstructed = decoder.reconstruct(victimSmashed);
        }
        boolean images = inputShape.length == 3;
        float[] truth = images ? pixels(victims.features(), false) : victims.features().clone();
        float[] guess = images ? pixels(reconstructed, true) : reconstructed;
        float[] mean = meanRepeated(images ? pixels(aux.features(), false) : aux.features(), aux.featureSize(),
                victims.size());
        ReconstructionQuality decoderQuality = images
                ? ReconstructionQuality.ofImages(truth, guess, inputShape, 1)
                : ReconstructionQuality.ofRows(truth, guess);
        ReconstructionQuality baseline = images
                ? ReconstructionQuality.ofImages(truth, mean, inputShape, 1)
                : ReconstructionQuality.ofRows(truth, mean);
        return new Result(decoderQuality, baseline, loss, truth, guess, inputShape);
    }

    /** Returns every sample's smashed data, computed as the run's clients compute them. */
    private static float[] smash(ModelPart client, Dataset data) {
        int q = 1;
        for (int d : client.outputShape()) {
            q *= d;
        }
        float[] out = new float[data.size() * q];
        int[] all = PermutationSampler.natural(data.size());
        float[] features = new float[FORWARD_BATCH * data.featureSize()];
        int[] labels = new int[FORWARD_BATCH];
        try (Torch.GradScope paused = Torch.pause()) {
            for (int from = 0; from < data.size(); from += FORWARD_BATCH) {
                int to = Math.min(from + FORWARD_BATCH, data.size());
                data.gather(all, from, to, features, labels);
                try (NDManager scope = client.manager().newSubManager()) {
                    float[] smashed = client.forward(scope.create(FloatBuffer.wrap(features, 0, (to - from) * data.featureSize()),
                            Shapes.batch(to - from, data.sampleShape())), false).toFloatArray();
                    System.arraycopy(smashed, 0, out, from * q, smashed.length);
                }
            }
        }
        return out;
    }

    /**
     * Standardises both sets of smashed data in place with the auxiliary set's mean and standard
     * deviation over all values, so that the decoder sees inputs of order 1 whatever the noise;
     * under heavy noise it then learns to guess close to the mean input instead of extrapolating.
     */
    private static void standardise(float[] aux, float[] victims) {
        double sum = 0;
        double sumSq = 0;
        for (float v : aux) {
            sum += v;
            sumSq += (double) v * v;
        }
        double mean = sum / aux.length;
        double std = Math.sqrt(Math.max(sumSq / aux.length - mean * mean, 0));
        double scale = std > 0 ? 1 / std : 1;
        for (float[] values : new float[][] {aux, victims}) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((values[i] - mean) * scale);
            }
        }
    }

    /** Returns Fashion-MNIST's normalised values as pixels in [0, 1], optionally clamped. */
    private static float[] pixels(float[] normalised, boolean clamp) {
        float[] out = new float[normalised.length];
        for (int i = 0; i < out.length; i++) {
            float p = normalised[i] * FashionMnist.PIXEL_STD + FashionMnist.PIXEL_MEAN;
            out[i] = clamp ? Math.min(1f, Math.max(0f, p)) : p;
        }
        return out;
    }

    /** Returns the mean sample of {@code values}, repeated {@code times} times. */
    private static float[] meanRepeated(float[] values, int size, int times) {
        double[] sum = new double[size];
        int n = values.length / size;
        for (int i = 0; i < values.length; i++) {
            sum[i % size] += values[i];
        }
        float[] out = new float[size * times];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (sum[i % size] / n);
        }
        return out;
    }
}
