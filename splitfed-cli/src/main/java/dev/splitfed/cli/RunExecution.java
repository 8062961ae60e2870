package dev.splitfed.cli;

import dev.splitfed.report.RunRecorder;
import dev.splitfed.scheme.Checkpoint;
import dev.splitfed.scheme.RoundMetrics;
import dev.splitfed.scheme.Simulation;
import dev.splitfed.scheme.SimulationListener;
import dev.splitfed.scheme.SimulationPlan;
import dev.splitfed.internal.scheme.Deployment;
import java.nio.file.Path;
import java.util.List;

/** Trains one simulation while recording it into its out directory and showing it on the terminal. */
final class RunExecution {

    /** The configuration file every run writes; {@code --config} and {@code --resume} read it back. */
    static final String CONFIG_FILE = RunRecorder.CONFIG_FILE;

    private RunExecution() {}

    /**
     * Runs the simulation from the start or from a checkpoint, then writes the summary and report.
     *
     * @param simulation the prepared simulation
     * @param recorder where the run is recorded
     * @param dir the out directory
     * @param terminal what the user sees
     * @param from the checkpoint to continue from, or null
     * @param deployment where the clients are and how they reach the servers
     * @return every round's metrics, including those before the checkpoint
     */
    static List<RoundMetrics> run(Simulation simulation, RunRecorder recorder, Path dir, TerminalProgress terminal,
            Checkpoint from, Deployment deployment) {
        simulation.run(new SimulationListener() {
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
        }, from, deployment);
        recorder.finish();
        List<RoundMetrics> rounds = recorder.rounds();
        terminal.finished(rounds, dir);
        return rounds;
    }
}
