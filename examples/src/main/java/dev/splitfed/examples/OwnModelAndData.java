package dev.splitfed.examples;

import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Partitioner;
import dev.splitfed.report.Provenance;
import dev.splitfed.report.RunRecorder;
import dev.splitfed.scheme.Checkpoint;
import dev.splitfed.scheme.RoundMetrics;
import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.Simulation;
import dev.splitfed.scheme.SimulationConfig;
import dev.splitfed.scheme.SimulationListener;
import dev.splitfed.scheme.SimulationPlan;
import dev.splitfed.scheme.SimulationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Trains SplitFed (SFLV1) through the Java API on a model and a data set of the caller's own: the
 * three-stage {@link TinyMlp}, cut after its first stage, on three Gaussian {@link Blobs} divided
 * among four clients with Dirichlet label skew.
 *
 * <p>Run it with {@code mvn -q -pl examples -am compile exec:java
 * -Dexec.mainClass=dev.splitfed.examples.OwnModelAndData [-Dexec.args=OUT_DIR]}; it prints each
 * round's test accuracy and leaves {@code metrics.jsonl}, {@code summary.json} and
 * {@code report.html} in the out directory (a new temporary directory when none is given).
 */
public final class OwnModelAndData {

    /** Training points per blob. */
    static final int TRAIN_PER_CLASS = 200;
    /** Test points per blob. */
    static final int TEST_PER_CLASS = 100;

    private OwnModelAndData() {}

    /** Returns the example's data: 600 training and 300 test points in three blobs, drawn from seed 7. */
    public static DataSplit data() {
        return new Blobs(3, 3.0, 1.0).split(TRAIN_PER_CLASS, TEST_PER_CLASS, 7);
    }

    /**
     * Returns the example's settings for a scheme: the caller's network as an object, four clients
     * with {@code dirichlet:0.5} label skew, batches of 16, one PyTorch thread.
     *
     * @param scheme the scheme, e.g. {@link Scheme#SFLV1}
     * @param rounds the number of rounds, {@code >= 1}
     * @return the checked settings
     */
    public static SimulationConfig config(Scheme scheme, int rounds) {
        return SimulationConfig.builder()
                .optScheme(scheme)
                .optArchitecture(new TinyMlp(2, 3))
                .optDataset(Blobs.NAME)
                .optCut(1)
                .optClients(4)
                .optPartitioner(Partitioner.parse("dirichlet:0.5"))
                .optRounds(rounds)
                .optBatchSize(16)
                .optThreads(1)
                .optSeed(3)
                .build();
    }

    /**
     * Trains one run and records it in {@code out}, printing each round's test accuracy.
     *
     * @param config the settings
     * @param data the training and test sets
     * @param out the out directory; it must not hold a run yet
     * @return every round's metrics and the final global model
     */
    public static SimulationResult train(SimulationConfig config, DataSplit data, Path out) {
        RunRecorder recorder = RunRecorder.create(out, Provenance.current());
        SimulationResult result = new Simulation(config, data).run(new RoundPrinter(recorder));
        recorder.finish();
        return result;
    }

    /**
     * Trains SFLV1 for five rounds on the blobs.
     *
     * @param args optionally the out directory
     * @throws Exception if the out directory cannot be made
     */
    public static void main(String[] args) throws Exception {
        Path out = args.length > 0 ? Paths.get(args[0]) : Files.createTempDirectory("own-model-and-data");
        SimulationResult result = train(config(Scheme.SFLV1, 5), data(), out);
        RoundMetrics last = result.rounds().get(result.rounds().size() - 1);
        System.out.printf("final test accuracy %.4f; the run's record is in %s%n", last.testAccuracy(), out);
    }

    /** Prints each round as it ends and passes every event on to the run's recorder. */
    private static final class RoundPrinter implements SimulationListener {
        private final RunRecorder recorder;

        RoundPrinter(RunRecorder recorder) {
            this.recorder = recorder;
        }

        @Override
        public void started(SimulationPlan plan) {
            recorder.started(plan);
        }

        @Override
        public void roundFinished(RoundMetrics metrics, Checkpoint checkpoint) {
            recorder.roundFinished(metrics, checkpoint);
            System.out.printf("round %d: test accuracy %.4f, test loss %.4f%n",
                    metrics.round(), metrics.testAccuracy(), metrics.testLoss());
        }
    }
}
