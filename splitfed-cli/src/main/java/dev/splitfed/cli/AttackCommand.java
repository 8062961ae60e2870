package dev.splitfed.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code splitfed attack}: attacks a user can run against a finished run, to see what the defences buy. */
@Command(
        name = "attack",
        header = "Measures what a curious server recovers from a split run.",
        mixinStandardHelpOptions = true,
        description = {
            "Attacks on a run's smashed data, by a curious server, to measure what a defence buys.",
            "",
            "Examples: splitfed attack inversion --run runs/20261121-051500-sflv1",
            "          splitfed attack labels --run runs/20261121-051500-sflv1 --samples 1000",
            ""
        },
        subcommands = {InversionAttackCommand.class, LabelAttackCommand.class})
final class AttackCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "name an attack: " + String.join(", ", spec.subcommands().keySet()));
    }
}
