package dev.splitfed.cli;

import dev.splitfed.InvalidInputException;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.report.Provenance;
import dev.splitfed.report.RunRecorder;
import dev.splitfed.scheme.Checkpoint;
import dev.splitfed.scheme.Settings;
import dev.splitfed.scheme.Simulation;
import dev.splitfed.scheme.SimulationConfig;
import dev.splitfed.internal.transport.Transport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code splitfed simulate}: trains one scheme in this process and records the run. */
@Command(
        name = "simulate",
        header = "Trains a model under one scheme with every role in this process and records the run.",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        sortOptions = false,
        modelTransformer = SettingsOptions.All.class,
        description = {
            "Trains a model under one scheme with every role in this process, evaluates the global model on the "
                    + "whole test set after each round, and writes metrics.jsonl, summary.json, report.html, config.yaml "
                    + "and checkpoint.bin into the out directory.",
            "",
            "Examples:",
            "  splitfed simulate",
            "  splitfed simulate --scheme fl --clients 10 --partition dirichlet:0.5 --rounds 20",
            "  splitfed simulate --resume runs/20261121-101500-sflv1",
            ""
        })
final class SimulateCommand implements Callable<Integer> {

    /** Options that may accompany --resume: they change neither the model nor the result. */
    private static final List<String> RESUMABLE = List.of("--resume", "--quiet", "--threads", "--transport", "--insecure");

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Out directory (default: runs/<time>-<scheme>). Example: --out runs/first")
    private Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the interrupted run in DIR from its last completed round, with its "
                    + "config.yaml; rounds already done are not redone. Example: --resume runs/first")
    private Path resume;

    @Mixin
    private RunOptions run;

    @Mixin
    private TransportOptions wire;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (resume != null) {
            return resume(stdout, stderr);
        }
        SimulationConfig cfg = SettingsOptions.config(spec, null);
        DataSplit data = load(cfg, stderr);
        Simulation simulation = new Simulation(cfg, data);
        Path dir = out != null ? out : defaultOut(cfg.scheme().id());
        Map<String, Object> provenance = Provenance.current();
        wire.describe(provenance);
        try (Transport transport = wire.open(stderr, cfg.compress())) {
            RunRecorder recorder = RunRecorder.create(dir, provenance);
            RunExecution.run((listener, from) -> simulation.run(listener, from, transport), recorder, dir,
                    new TerminalProgress(stdout, stderr, run.quiet), null);
        }
        return 0;
    }

    private int resume(PrintWriter stdout, PrintWriter stderr) {
        for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            if (!RESUMABLE.contains(option.longestName())) {
                throw new InvalidInputException(
                        "--resume continues the run with its own " + RunExecution.CONFIG_FILE + ", so "
                                + option.longestName() + " cannot be given with it");
            }
        }
        SimulationConfig cfg = RunSettings.fromRun(resume, threadArguments());
        Checkpoint checkpoint = Checkpoint.read(resume);
        if (checkpoint.round() >= cfg.rounds()) {
            stdout.printf("The run in %s finished all %d rounds already; nothing to resume.%n", resume, cfg.rounds());
            return 0;
        }
        DataSplit data = load(cfg, stderr);
        Simulation simulation = new Simulation(cfg, data);
        Map<String, Object> provenance = Provenance.current();
        wire.describe(provenance);
        try (Transport transport = wire.open(stderr, cfg.compress())) {
            RunRecorder recorder = RunRecorder.resume(resume, provenance, checkpoint);
            stdout.printf("Resuming %s after round %d of %d.%n", resume, checkpoint.round(), cfg.rounds());
            RunExecution.run((listener, from) -> simulation.run(listener, from, transport), recorder, resume,
                    new TerminalProgress(stdout, stderr, run.quiet), checkpoint);
        }
        return 0;
    }

    private String[] threadArguments() {
        String threads = SettingsOptions.given(spec, Settings.THREADS);
        return threads == null ? new String[0] : new String[] {"--threads", threads};
    }

    /**
     * Loads the run's data set, saying so when the bundled sample stands in for the full set.
     *
     * @param cfg the configuration
     * @param stderr where the note goes
     * @return the data
     */
    static DataSplit load(SimulationConfig cfg, PrintWriter stderr) {
        DataSplit data = DatasetCatalog.load(cfg.dataset(), cfg.dataOptions(), cfg.dataDir(), System.getenv());
        if (data.sample() && !cfg.dataset().equals("fashion-mnist-sample")) {
            stderr.println("Note: the full Fashion-MNIST set was not found, so this run uses the bundled 10% sample; "
                    + "install dataset-fashion-mnist or pass --data-dir for the full set.");
        }
        return data;
    }

    /**
     * Returns {@code runs/<time>-<name>}.
     *
     * @param name what the run is, e.g. the scheme
     * @return the default out directory
     */
    static Path defaultOut(String name) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of("runs", stamp + "-" + name);
    }
}
