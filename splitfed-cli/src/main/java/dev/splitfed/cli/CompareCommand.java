package dev.splitfed.cli;

import dev.splitfed.InvalidInputException;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.internal.report.Comparison;
import dev.splitfed.report.Provenance;
import dev.splitfed.report.RunRecorder;
import dev.splitfed.scheme.RoundMetrics;
import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.Simulation;
import dev.splitfed.scheme.SimulationConfig;
import dev.splitfed.internal.transport.Transport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code splitfed compare}: trains several schemes on identical terms and compares them. */
@Command(
        name = "compare",
        header = "Trains several schemes on identical terms and compares their accuracy, time and bytes.",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        sortOptions = false,
        modelTransformer = SettingsOptions.AllButScheme.class,
        description = {
            "Trains each scheme with identical data, partition, seed and hyper-parameters, one after the other, "
                    + "and compares final and best test accuracy, rounds to a target accuracy, seconds per round and bytes,"
                    + " as the SplitFed paper does. Each scheme's run is recorded in OUT/<scheme>/; OUT receives "
                    + "compare.md, compare.json, accuracy_by_round.png and accuracy_by_bytes.png.",
            "",
            "Examples:",
            "  splitfed compare",
            "  splitfed compare --schemes fl,sflv1 --partition dirichlet:0.5 --rounds 20 --target 0.8",
            ""
        })
final class CompareCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--schemes", defaultValue = "central,fl,sl,sflv1,sflv2", split = ",", paramLabel = "LIST",
            description = "Schemes to compare, comma-separated. Example: --schemes fl,sflv1,sflv2")
    private List<String> schemes;

    @Option(names = "--target", defaultValue = "0.85", paramLabel = "ACC",
            description = "Test accuracy whose first round is reported per scheme. Example: --target 0.88")
    private double target;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Out directory (default: runs/<time>-compare). Example: --out runs/paper")
    private Path out;

    @Mixin
    private RunOptions run;

    @Mixin
    private TransportOptions wire;

    @Override
    public Integer call() {
        if (!(target > 0 && target <= 1)) {
            throw new InvalidInputException("target must be an accuracy in (0, 1], got " + target);
        }
        Set<Scheme> chosen = new LinkedHashSet<>();
        for (String s : schemes) {
            if (!chosen.add(Scheme.parse(s))) {
                throw new InvalidInputException("scheme " + s + " is listed twice in --schemes");
            }
        }
        Map<Scheme, SimulationConfig> configs = new LinkedHashMap<>();
        for (Scheme s : chosen) {
            configs.put(s, SettingsOptions.config(spec, s));
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        SimulationConfig first = configs.values().iterator().next();
        DataSplit data = SimulateCommand.load(first, stderr);
        Map<Scheme, Simulation> simulations = new LinkedHashMap<>();
        configs.forEach((s, c) -> simulations.put(s, new Simulation(c, data)));
        Path dir = out != null ? out : SimulateCommand.defaultOut("compare");
        Map<String, Object> provenance = Provenance.current();
        wire.describe(provenance);
        Map<String, List<RoundMetrics>> runs = new LinkedHashMap<>();
        for (Map.Entry<Scheme, Simulation> e : simulations.entrySet()) {
            String id = e.getKey().id();
            stdout.printf("== %s%n", id);
            Path runDir = dir.resolve(id);
            RunRecorder recorder = RunRecorder.create(runDir, provenance);
            try (Transport transport = wire.open(stderr, configs.get(e.getKey()).compress())) {
                Simulation simulation = e.getValue();
                runs.put(id, RunExecution.run((listener, from) -> simulation.run(listener, from, transport), recorder,
                        runDir, new TerminalProgress(stdout, stderr, run.quiet), null));
            }
        }
        Comparison comparison = new Comparison(runs, target);
        Map<String, Object> shared = first.toSettings();
        shared.remove("scheme");
        shared.put("schemes", runs.keySet());
        comparison.write(dir, shared, provenance);
        stdout.println();
        stdout.print(comparison.markdown());
        stdout.printf("%ncompare.md, compare.json and charts in %s%n", dir);
        return 0;
    }
}
