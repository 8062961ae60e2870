package dev.splitfed.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import dev.splitfed.InvalidInputException;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import dev.splitfed.internal.data.FashionMnistLocator;
import dev.splitfed.internal.engine.Shapes;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.model.Architecture;
import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.random.Seeds;
import dev.splitfed.internal.train.Batches;
import dev.splitfed.internal.train.CrossEntropy;
import dev.splitfed.scheme.OptimizerSpec;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.sampling.PermutationSampler;

/**
 * The baseline splitfed's own training is measured against: LeNet-5 on Fashion-MNIST in a plain
 * DJL loop, one model and one party, with no roles, no cut, no messages and no byte counting.
 *
 * <p>Data, model and optimizer are splitfed-core's ({@link dev.splitfed.internal.data.FashionMnist},
 * {@code lenet5} as one {@link ModelPart} over all its stages, SGD lr 0.01 momentum 0.9, batch
 * 64), so what sets {@code splitfed simulate} apart from it is the machinery around the batches.
 * Each epoch visits all training samples in a fresh seeded order; initial weights and orders are
 * drawn from their own seeded streams, not those of a simulation.
 *
 * <pre>
 * java -cp splitfed-bench/target/benchmarks.jar dev.splitfed.bench.BareLoop --threads 2 --epochs 1
 * </pre>
 *
 * <p>Prints one JSON line per epoch to stdout,
 * {@code {"epoch":1,"seconds":..,"train_loss":..,"test_accuracy":..}}; {@code seconds} is the
 * training pass alone, the test-set evaluation after it is not timed.
 */
public final class BareLoop {

    private static final int BATCH_SIZE = 64;
    private static final int EVAL_BATCH_SIZE = 1000;
    private static final OptimizerSpec SGD = new OptimizerSpec("sgd", 0.01f, 0.9f);
    private static final String USAGE =
            "usage: BareLoop [--threads N] [--epochs E] [--data-dir DIR] [--seed S] [--model NAME] [--limit N]";

    private BareLoop() {}

    /**
     * Trains and prints one JSON line per epoch; a bad argument or missing data prints one
     * sentence and exits with status 2.
     *
     * @param args {@code --model NAME} (default {@code lenet5}), {@code --limit N} (only the first N
     *     training samples; default all), {@code --threads N} (default: the number of cores),
     *     {@code --epochs E} (default 1), {@code --data-dir DIR} (default: where {@code splitfed simulate} finds the full set,
     *     {@code $SPLITFED_DATA}, then {@code /usr/share/datasets/fashion-mnist}, then the user
     *     cache; never the bundled sample), {@code --seed S} (default 1)
     */
    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        Options options;
        DataSplit data;
        try {
            options = Options.parse(args);
            data = new FashionMnistLocator(System.getenv()).locate(options.dataDir, false);
        } catch (InvalidInputException e) {
            System.err.println("BareLoop: " + e.getMessage());
            System.exit(2);
            return;
        }
        // Read by the PyTorch engine when it loads; inter-op threads cannot change afterwards.
        System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(options.threads));
        Torch.setThreads(options.threads);
        Torch.seed(options.seed);
        run(options, data.train(), data.test());
    }

    private static void run(Options options, Dataset fullTrain, Dataset test) {
        Dataset train = options.limit > 0 ? fullTrain.head(Math.min(options.limit, fullTrain.size())) : fullTrain;
        Architecture lenet5 = Architecture.create(options.model, train.sampleShape(), train.numClasses());
        int[] all = PermutationSampler.natural(train.size());
        try (ModelPart model = ModelPart.create(lenet5, 0, lenet5.stages())) {
            model.setWeights(model.defaultInitialWeights(options.seed, "init"));
            // One optimizer for the whole run: its momentum carries over from epoch to epoch.
            Optimizer optimizer = SGD.newOptimizer();
            for (int epoch = 1; epoch <= options.epochs; epoch++) {
                Batches batches = new Batches(train, all, BATCH_SIZE, Seeds.rng(options.seed, "batches", epoch));
                long start = System.nanoTime();
                double lossSum = trainEpoch(model, optimizer, batches);
                double seconds = (System.nanoTime() - start) / 1e9;
                double accuracy = accuracy(model, test);
                System.out.printf(Locale.ROOT, "{\"epoch\":%d,\"seconds\":%.3f,\"train_loss\":%.6f,\"test_accuracy\":%.4f}%n",
                        epoch, seconds, lossSum / train.size(), accuracy);
                System.out.flush();
            }
        }
    }

    /** Runs one pass over the batches and returns the sum over samples of their training loss. */
    private static double trainEpoch(ModelPart model, Optimizer optimizer, Batches batches) {
        double lossSum = 0;
        try (Torch.GradScope recording = Torch.record()) {
            while (batches.next()) {
                try (NDManager scope = model.manager().newSubManager()) {
                    NDArray logits = model.forward(batches.features(scope), true);
                    NDArray labels = CrossEntropy.labels(scope, batches.labels(), batches.size());
                    NDArray loss = CrossEntropy.mean(logits, labels);
                    lossSum += (double) loss.getFloat() * batches.size();
                    Torch.backward(loss, scope.ones(loss.getShape()));
                    model.step(optimizer);
                }
            }
        }
        return lossSum;
    }

    /** Returns the fraction of {@code test} whose highest logit is the true class. */
    private static double accuracy(ModelPart model, Dataset test) {
        int[] all = PermutationSampler.natural(test.size());
        float[] features = new float[EVAL_BATCH_SIZE * test.featureSize()];
        int[] labels = new int[EVAL_BATCH_SIZE];
        long correct = 0;
        try (Torch.GradScope paused = Torch.pause()) {
            for (int from = 0; from < all.length; from += EVAL_BATCH_SIZE) {
                int to = Math.min(from + EVAL_BATCH_SIZE, all.length);
                int n = to - from;
                test.gather(all, from, to, features, labels);
                try (NDManager scope = model.manager().newSubManager()) {
                    NDArray x = scope.create(
                            FloatBuffer.wrap(features, 0, n * test.featureSize()), Shapes.batch(n, test.sampleShape()));
                    NDArray y = CrossEntropy.labels(scope, labels, n);
                    correct += model.forward(x, false).argMax(1).eq(y).countNonzero().getLong();
                }
            }
        }
        return (double) correct / test.size();
    }

    /** The command-line options, checked where they are read. */
    private static final class Options {
        static final List<String> NAMES = List.of("--threads", "--epochs", "--data-dir", "--seed", "--model", "--limit");

        int threads = Runtime.getRuntime().availableProcessors();
        int epochs = 1;
        Path dataDir;
        long seed = 1;
        String model = "lenet5";
        int limit;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (name.equals("--help") || name.equals("-h")) {
                    System.out.println(USAGE);
                    System.exit(0);
                }
                if (!NAMES.contains(name)) {
                    throw new InvalidInputException("unknown option " + name + "; " + USAGE);
                }
                if (i + 1 >= args.length) {
                    throw new InvalidInputException(name + " needs a value; " + USAGE);
                }
                String value = args[++i];
                switch (name) {
                    case "--threads" -> o.threads = positive(name, value);
                    case "--epochs" -> o.epochs = positive(name, value);
                    case "--data-dir" -> o.dataDir = Path.of(value);
                    case "--seed" -> o.seed = parseLong(name, value);
                    case "--model" -> o.model = value;
                    case "--limit" -> o.limit = positive(name, value);
                    default -> throw new IllegalStateException("NAMES lists " + name + " but parse does not read it");
                }
            }
            return o;
        }

        private static int positive(String name, String value) {
            long n = parseLong(name, value);
            if (n < 1 || n > Integer.MAX_VALUE) {
                throw new InvalidInputException(name + " must be a whole number >= 1, got " + value);
            }
            return (int) n;
        }

        private static long parseLong(String name, String value) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new InvalidInputException(name + " must be a whole number, got '" + value + "'", e);
            }
        }
    }
}
