package dev.splitfed.cli;

import dev.splitfed.report.RunRecorder;
import dev.splitfed.scheme.Checkpoint;
import dev.splitfed.scheme.RoundMetrics;
import dev.splitfed.scheme.SimulationListener;
import dev.splitfed.scheme.SimulationPlan;
import java.nio.file.Path;
import java.util.List;

/** Trains one simulation while recording it into its out directory and showing it on the terminal. */
final class RunExecution {

    /** The configuration file every run writes; {@code --config} and {@code --resume} read it back. */
    static final String CONFIG_FILE = RunRecorder.CONFIG_FILE;

    private RunExecution() {}

    /** Trains a prepared run, in this process or serving deployed clients, telling a listener. */
    interface Training {
        /**
         * Trains the rounds after a checkpoint.
         *
         * @param listener told of progress and of each round's metrics
         * @param from the checkpoint to continue from, or null
         */
        void run(SimulationListener listener, Checkpoint from);
    }

    /**
     * Trains from the start or from a checkpoint, then writes the summary and report.
     *
     * @param training how the prepared run trains
     * @param recorder where the run is recorded
     * @param dir the out directory
     * @param terminal what the user sees
     * @param from the checkpoint to continue from, or null
     * @return every round's metrics, including those before the checkpoint
     */
    static List<RoundMetrics> run(Training training, RunRecorder recorder, Path dir, TerminalProgress terminal,
            Checkpoint from) {
        training.run(new SimulationListener() {
            @Override
            public void started(SimulationPlan plan) {
                recorder.started(plan);
                terminal.started(plan, from == null ? 0 : from.round());
            }

            @Override
            public void roundStarted(int round, long batches) {
                terminal.roundStarted(round, batches);
            }

            @Override
            public void batchDone() {
                terminal.batchDone();
            }

            @Override
            public void roundFinished(RoundMetrics metrics, Checkpoint checkpoint) {
                recorder.roundFinished(metrics, checkpoint);
                terminal.roundFinished(metrics);
            }
        }, from);
        recorder.finish();
        List<RoundMetrics> rounds = recorder.rounds();
        terminal.finished(rounds, dir);
        return rounds;
    }
}
