package dev.splitfed.cli;

import dev.splitfed.report.Provenance;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The top-level {@code splitfed} command; the work is done by its subcommands. */
@Command(
        name = "splitfed",
        mixinStandardHelpOptions = true,
        versionProvider = SplitfedCommand.Version.class,
        description = {
            "Federated learning, split learning and SplitFed on the JVM.",
            "",
            "Start with: splitfed simulate   (trains LeNet-5 on Fashion-MNIST with SplitFed V1)",
            "Then:       splitfed compare    (every scheme side by side, with charts)",
            "            splitfed cost       (the bytes each scheme moves, before running anything)",
            "Deploy:     splitfed certs, splitfed server, splitfed client (roles in separate processes, gRPC + mTLS)",
            "Attack:     splitfed attack inversion --run DIR  (what a curious server recovers from smashed data)",
            "Words:      splitfed simulate --dataset fortunes, then splitfed predict  (next-word prediction)",
            "Completion: source <(splitfed generate-completion)  (bash and zsh)",
            ""
        },
        subcommands = {SimulateCommand.class, CompareCommand.class, CostCommand.class, ServerCommand.class,
            ClientCommand.class, CertsCommand.class, PrivacyBudgetCommand.class, AttackCommand.class,
            PredictCommand.class, AutoComplete.GenerateCompletion.class})
final class SplitfedCommand {

    /** Prints splitfed's version. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"splitfed " + Provenance.splitfedVersion()};
        }
    }
}
