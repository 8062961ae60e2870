package dev.splitfed.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of the commands that run training: where settings come from, how much the terminal shows. */
final class RunOptions {

    /** Read by {@link ConfigFile} before parsing; declared so that help lists it. */
    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML file with any of these options as keys (flags override it). Example: --config run.yaml")
    Path config;

    @Option(names = "--quiet", description = "No progress bar, no per-round lines.")
    boolean quiet;
}
