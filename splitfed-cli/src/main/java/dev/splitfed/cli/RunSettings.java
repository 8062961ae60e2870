package dev.splitfed.cli;

import dev.splitfed.InvalidInputException;
import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.SimulationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A run's settings read back from where a run left them: its {@code config.yaml} (to resume it),
 * or the map a server sends to the clients that join it. Read with the same options and checks
 * as the command line.
 */
@Command(name = "settings")
final class RunSettings {

    @Option(names = "--scheme", defaultValue = "sflv1")
    private String scheme;

    @Mixin
    private TrainingOptions training;

    /**
     * Reads a run's {@code config.yaml}.
     *
     * @param dir the run's out directory
     * @param overrides options that take precedence, e.g. {@code --threads 1}
     * @return the configuration
     */
    static SimulationConfig fromRun(Path dir, String... overrides) {
        Path file = dir.resolve(RunExecution.CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(dir + " holds no " + RunExecution.CONFIG_FILE + ": it is not a run's out directory");
        }
        RunSettings settings = new RunSettings();
        CommandLine reader = new CommandLine(settings);
        reader.setDefaultValueProvider(ConfigFile.load(file, reader.getCommandSpec()));
        reader.parseArgs(overrides);
        return settings.training.config(Scheme.parse(settings.scheme));
    }

    /**
     * Reads settings given as option names (without dashes) and values.
     *
     * @param values e.g. {@code clients -> 5}
     * @param overrides options that take precedence
     * @return the configuration
     */
    static SimulationConfig fromMap(Map<String, String> values, String... overrides) {
        List<String> args = new ArrayList<>();
        values.forEach((key, value) -> {
            args.add("--" + key);
            args.add(value);
        });
        args.addAll(List.of(overrides));
        RunSettings settings = new RunSettings();
        CommandLine reader = new CommandLine(settings);
        reader.setOverwrittenOptionsAllowed(true);
        try {
            reader.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new InvalidInputException("the server's run settings are not understood: " + e.getMessage(), e);
        }
        return settings.training.config(Scheme.parse(settings.scheme));
    }
}
