package dev.splitfed.cli;

import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.privacy.RdpAccountant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code splitfed privacy-budget}: the epsilon of a DP-SGD schedule, before running anything. */
@Command(
        name = "privacy-budget",
        header = "Prints the epsilon that DP-SGD steps spend, without training.",
        modelTransformer = SettingsOptions.GroupedHelp.class,
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        sortOptions = false,
        description = {
            "Prints the epsilon that T steps of the sampled Gaussian mechanism spend at delta (DP-SGD: Poisson "
                    + "sampling with rate Q, Gaussian noise SIGMA times the clipping norm), from a Renyi DP accountant "
                    + "(Mironov, Talwar and Zhang 2019; orders 2 to 256).",
            "",
            "Examples:",
            "  splitfed privacy-budget --sample-rate 0.004267 --noise 1.1 --steps 14062 --delta 1e-5",
            "  splitfed privacy-budget --sample-rate 0.01 --noise 4 --steps 10000 --delta 1e-5 --conversion balle2020",
            ""
        })
final class PrivacyBudgetCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--sample-rate", required = true, paramLabel = "Q",
            description = "Probability that a step's sample holds a given record, in (0, 1]. Example: --sample-rate 0.01")
    private double sampleRate;

    @Option(names = "--noise", required = true, paramLabel = "SIGMA",
            description = "Noise standard deviation over the clipping norm, > 0. Example: --noise 1.1")
    private double noise;

    @Option(names = "--steps", required = true, paramLabel = "T",
            description = "Number of steps, >= 1. Example: --steps 10000")
    private long steps;

    @Option(names = "--delta", defaultValue = "1e-5", paramLabel = "D",
            description = "Probability of failure, in (0, 1). Example: --delta 1e-6")
    private double delta;

    @Option(names = "--conversion", defaultValue = "classic", paramLabel = "NAME",
            description = "classic (Mironov 2017) or balle2020 (Balle et al. 2020, tighter). Example: --conversion balle2020")
    private String conversion;

    @Override
    public Integer call() {
        RdpAccountant.Conversion how = switch (conversion.toLowerCase(Locale.ROOT)) {
            case "classic" -> RdpAccountant.Conversion.CLASSIC;
            case "balle2020" -> RdpAccountant.Conversion.BALLE2020;
            default -> throw new InvalidInputException("conversion must be classic or balle2020, not '" + conversion + "'");
        };
        if (steps < 1) {
            throw new InvalidInputException("steps must be at least 1, got " + steps);
        }
        RdpAccountant accountant = new RdpAccountant(sampleRate, noise);
        accountant.step(steps);
        spec.commandLine().getOut().printf(Locale.ROOT, "%.4f%n", accountant.epsilon(delta, how));
        return 0;
    }
}
