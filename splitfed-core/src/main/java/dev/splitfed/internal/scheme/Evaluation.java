package dev.splitfed.internal.scheme;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.splitfed.data.Dataset;
import dev.splitfed.internal.engine.Shapes;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.model.Architecture;
import dev.splitfed.internal.model.SplitModel;
import dev.splitfed.internal.train.CrossEntropy;
import java.nio.FloatBuffer;
import org.apache.commons.rng.sampling.PermutationSampler;

/**
 * A model's accuracy and mean cross-entropy loss on a whole data set.
 *
 * @param accuracy the fraction of samples whose highest logit is the true class
 * @param top3Accuracy the fraction of samples whose true class is among the three highest logits
 *     (fewer than three logits are higher than its own): for a keyboard, whether the word is one of
 *     the three suggestions
 * @param loss the mean cross-entropy over all samples, in nats
 */
public record Evaluation(double accuracy, double top3Accuracy, double loss) {

    /**
     * Returns the perplexity, e to the mean cross-entropy: the number of equally likely words the
     * model is as unsure as (Jelinek et al. 1977); the vocabulary size for a uniform guess, 1 for
     * a certain and right one.
     */
    public double perplexity() {
        return Math.exp(loss);
    }

    private static final int BATCH = 1000;

    /**
     * Evaluates the network with the given whole weight vector on every sample of {@code data}.
     *
     * @param architecture the network
     * @param cut the cut that fixes the weight layout
     * @param weights client-side values followed by server-side values
     * @param data the evaluation set
     * @return accuracy and loss
     */
    public static Evaluation of(Architecture architecture, int cut, float[] weights, Dataset data) {
        int[] all = PermutationSampler.natural(data.size());
        int[] sample = data.sampleShape();
        float[] features = new float[BATCH * data.featureSize()];
        int[] labels = new int[BATCH];
        long correct = 0;
        long top3 = 0;
        double lossSum = 0;
        try (SplitModel model = SplitModel.create(architecture, cut, weights);
                Torch.GradScope paused = Torch.pause()) {
            for (int from = 0; from < all.length; from += BATCH) {
                int to = Math.min(from + BATCH, all.length);
                int n = to - from;
                data.gather(all, from, to, features, labels);
                try (NDManager scope = model.client().manager().newSubManager()) {
                    NDArray x = scope.create(FloatBuffer.wrap(features, 0, n * data.featureSize()), Shapes.batch(n, sample));
                    NDArray logits = model.forward(x, false);
                    NDArray y = CrossEntropy.labels(scope, labels, n);
                    lossSum += CrossEntropy.mean(logits, y).getFloat() * (double) n;
                    correct += logits.argMax(1).eq(y).countNonzero().getLong();
                    // A row with a NaN or infinite logit compares false everywhere: count it as a miss, not a hit.
                    NDArray own = logits.gather(y.reshape(n, 1), 1);
                    NDArray broken = logits.isNaN().logicalOr(logits.isInfinite()).sum(new int[] {1}).gt(0);
                    top3 += logits.gt(own).sum(new int[] {1}).lt(3).logicalAnd(broken.logicalNot()).countNonzero().getLong();
                }
            }
        }
        return new Evaluation((double) correct / data.size(), (double) top3 / data.size(), lossSum / data.size());
    }
}
