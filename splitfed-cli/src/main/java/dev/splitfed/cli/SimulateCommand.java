package dev.splitfed.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.report.Provenance;
import dev.splitfed.report.RunRecorder;
import dev.splitfed.scheme.RoundMetrics;
import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.Simulation;
import dev.splitfed.scheme.SimulationConfig;
import dev.splitfed.scheme.SimulationListener;
import dev.splitfed.scheme.SimulationPlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code splitfed simulate}: trains one scheme in this process and records the run. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        sortOptions = false,
        description = {
            "Trains a model under one scheme with every role in this process, evaluates the global model",
            "on the whole test set after each round, and writes metrics.jsonl, summary.json and",
            "config.yaml into the out directory.",
            "",
            "Example: splitfed simulate --scheme fl --clients 10 --partition dirichlet:0.5 --rounds 20"
        })
final class SimulateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--scheme", defaultValue = "sflv1", paramLabel = "NAME",
            description = "central, fl, sl, sflv1 or sflv2. Example: --scheme sl")
    private String scheme;

    @Option(names = "--model", paramLabel = "NAME",
            description = "lenet5 or mlp (default: lenet5 for images, mlp for breast-cancer). Example: --model mlp")
    private String model;

    @Option(names = "--dataset", defaultValue = "fashion-mnist", paramLabel = "NAME",
            description = "fashion-mnist, fashion-mnist-sample or breast-cancer. Example: --dataset breast-cancer")
    private String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory holding the Fashion-MNIST IDX files (else $SPLITFED_DATA, "
                    + "/usr/share/datasets/fashion-mnist, the user cache). Example: --data-dir ~/data/fmnist")
    private Path dataDir;

    @Option(names = "--cut", defaultValue = "1", paramLabel = "N",
            description = "Cut after stage N of the model (lenet5: 1-4, mlp: 1-2). Example: --cut 2")
    private int cut;

    @Option(names = "--clients", defaultValue = "5", paramLabel = "K",
            description = "Number of clients. Example: --clients 100")
    private int clients;

    @Option(names = "--fraction", defaultValue = "1.0", paramLabel = "F",
            description = "Fraction of clients selected each round, in (0, 1]. Example: --fraction 0.1")
    private double fraction;

    @Option(names = "--rounds", defaultValue = "10", paramLabel = "R",
            description = "Number of rounds. Example: --rounds 50")
    private int rounds;

    @Option(names = "--local-epochs", defaultValue = "1", paramLabel = "E",
            description = "Passes over its data each client makes per round. Example: --local-epochs 5")
    private int localEpochs;

    @Option(names = "--batch-size", defaultValue = "64", paramLabel = "B",
            description = "Samples per batch. Example: --batch-size 32")
    private int batchSize;

    @Option(names = "--optimizer", defaultValue = "sgd", paramLabel = "NAME",
            description = "sgd or adam. Example: --optimizer adam")
    private String optimizer;

    @Option(names = "--lr", defaultValue = "0.01", paramLabel = "RATE",
            description = "Learning rate. Example: --lr 0.001")
    private float lr;

    @Option(names = "--momentum", defaultValue = "0.9", paramLabel = "M",
            description = "SGD momentum in [0, 1). Example: --momentum 0")
    private float momentum;

    @Option(names = "--partition", defaultValue = "iid", paramLabel = "SPEC",
            description = "iid, dirichlet:ALPHA or shards:N. Example: --partition dirichlet:0.1")
    private String partition;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "Seeds the partition, initial weights, selection and batch order. Example: --seed 7")
    private long seed;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "Use only the first N training samples; 0 for all. Example: --limit 6000")
    private int limit;

    @Option(names = "--threads", paramLabel = "T",
            description = "PyTorch threads (default: the number of cores). Example: --threads 1")
    private Integer threads;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Out directory (default: runs/<time>-<scheme>). Example: --out runs/first")
    private Path out;

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML file with any of these options as keys (flags override it). Example: --config run.yaml")
    private Path config;

    @Option(names = "--quiet", description = "No progress bar, no per-round lines.")
    private boolean quiet;

    @Override
    public Integer call() {
        SimulationConfig.Builder builder = SimulationConfig.builder()
                .optScheme(Scheme.parse(scheme))
                .optModel(model)
                .optDataset(dataset)
                .optDataDir(dataDir)
                .optCut(cut)
                .optClients(clients)
                .optFraction(fraction)
                .optRounds(rounds)
                .optLocalEpochs(localEpochs)
                .optBatchSize(batchSize)
                .optOptimizer(optimizer)
                .optLearningRate(lr)
                .optMomentum(momentum)
                .optPartition(partition)
                .optSeed(seed)
                .optLimit(limit);
        if (threads != null) {
            builder.optThreads(threads);
        }
        SimulationConfig cfg = builder.build();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();

        DataSplit data = DatasetCatalog.load(cfg.dataset(), cfg.dataDir(), System.getenv());
        Simulation simulation = new Simulation(cfg, data, DatasetCatalog.naturalModel(cfg.dataset()));
        if (data.sample() && !cfg.dataset().equals("fashion-mnist-sample")) {
            stderr.println("Note: the full Fashion-MNIST set was not found, so this run uses the bundled 10% sample; "
                    + "install dataset-fashion-mnist or pass --data-dir for the full set.");
        }
        Path dir = out != null ? out : defaultOut(cfg.scheme());
        RunRecorder recorder = new RunRecorder(dir, Provenance.current());
        TerminalProgress terminal = new TerminalProgress(stdout, stderr, quiet);
        List<RoundMetrics> history = simulation.run(new SimulationListener() {
            @Override
            public void started(SimulationPlan plan) {
                recorder.started(plan);
                writeConfig(dir, plan.config().toMap(plan.architecture().name()));
                terminal.started(plan);
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
            public void roundFinished(RoundMetrics metrics) {
                recorder.roundFinished(metrics);
                terminal.roundFinished(metrics);
            }
        }).rounds();
        recorder.writeSummary();
        terminal.finished(history, dir);
        return 0;
    }

    private static Path defaultOut(Scheme scheme) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of("runs", stamp + "-" + scheme.id());
    }

    private static void writeConfig(Path dir, Map<String, Object> config) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
        try {
            yaml.writeValue(dir.resolve("config.yaml").toFile(), config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write config.yaml in " + dir, e);
        }
    }
}
