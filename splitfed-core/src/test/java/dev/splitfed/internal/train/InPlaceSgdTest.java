package dev.splitfed.internal.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.train.CrossEntropy;
import dev.splitfed.model.Architecture;
import dev.splitfed.scheme.OptimizerSpec;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InPlaceSgdTest {

    @Test
    void momentumStepsAsComputedByHand() {
        // A weight (1, 2) stepped three times with the constant gradient (0.5, -1).
        float[][] w = ProximalOptimizerTest.threeSteps(new InPlaceSgd(0.1f, 0.9f));
        // lr g = (0.05, -0.1). v1 = (0.05, -0.1): w1 = (0.95, 2.1).
        // v2 = 0.9 v1 + lr g = (0.095, -0.19): w2 = (0.855, 2.29).
        // v3 = 0.9 v2 + lr g = (0.1355, -0.271): w3 = (0.7195, 2.561).
        float[][] expected = {{0.95f, 2.1f}, {0.855f, 2.29f}, {0.7195f, 2.561f}};
        for (int t = 0; t < 3; t++) {
            assertThat(w[t][0]).isCloseTo(expected[t][0], within(1e-6f));
            assertThat(w[t][1]).isCloseTo(expected[t][1], within(1e-6f));
        }
        float[][] plain = ProximalOptimizerTest.threeSteps(new InPlaceSgd(0.1f, 0f));
        assertThat(plain[2][0]).isCloseTo(0.85f, within(1e-6f));
        assertThat(plain[2][1]).isCloseTo(2.3f, within(1e-6f));
    }

    @Test
    void trainsLeNetToTheSameFloatsAsDjlsSgdAndZeroesTheGradients() {
        for (float momentum : new float[] {0f, 0.9f}) {
            float[] ours = train(new InPlaceSgd(0.05f, momentum), true);
            float[] djl = train(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).optMomentum(momentum).build(),
                    false);
            assertThat(ours).as("momentum %s", momentum).containsExactly(djl);
        }
        assertThat(new OptimizerSpec("sgd", 0.05f, 0.9f).newOptimizer()).isInstanceOf(InPlaceSgd.class);
    }

    /** Four steps of LeNet-5 on fixed random batches; returns the weights. */
    private static float[] train(Optimizer optimizer, boolean release) {
        Architecture lenet5 = Architecture.create("lenet5", new int[] {1, 28, 28}, 10);
        try (ModelPart model = ModelPart.create(lenet5, 0, lenet5.stages())) {
            model.setWeights(model.defaultInitialWeights(7, "init"));
            SplittableRandom random = new SplittableRandom(3);
            for (int step = 0; step < 4; step++) {
                float[] x = new float[8 * 28 * 28];
                int[] labels = new int[8];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextDouble();
                }
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = random.nextInt(10);
                }
                try (Torch.GradScope recording = Torch.record();
                        NDManager scope = model.manager().newSubManager()) {
                    NDArray logits = model.forward(scope.create(FloatBuffer.wrap(x), new Shape(8, 1, 28, 28)), true);
                    NDArray loss = CrossEntropy.mean(logits, CrossEntropy.labels(scope, labels, 8));
                    Torch.backward(loss, scope.ones(loss.getShape()));
                    model.step(optimizer);
                }
                assertThat(model.gradients()).as("gradients after step %d", step).containsOnly(0f);
            }
            if (release) {
                LocalTraining.release(optimizer);
            }
            return model.weights();
        }
    }
}
