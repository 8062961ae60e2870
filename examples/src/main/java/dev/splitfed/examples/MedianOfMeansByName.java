package dev.splitfed.examples;

import dev.splitfed.cli.Main;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Selects the {@link MedianOfMeans} rule by name on splitfed's own, unmodified command line:
 * {@code splitfed simulate --aggregator median-of-means:3}. The command line knows nothing of
 * the rule; {@link MedianOfMeansProvider}, found through {@link java.util.ServiceLoader} on the
 * class path, makes the name mean it.
 *
 * <p>Run it with {@code mvn -q -pl examples -am compile exec:java
 * -Dexec.mainClass=dev.splitfed.examples.MedianOfMeansByName -Dexec.args="--out runs/mom"}, or
 * run the command line itself with this module on its class path:
 * {@code -Dexec.mainClass=dev.splitfed.cli.Main -Dexec.args="simulate --aggregator median-of-means:3 ..."}.
 */
public final class MedianOfMeansByName {

    /** The command line this example runs, before the caller's own arguments: one round, six clients. */
    public static final List<String> COMMAND = List.of("simulate", "--aggregator", "median-of-means:3",
            "--dataset", "fashion-mnist-sample", "--limit", "600", "--clients", "6", "--rounds", "1");

    private MedianOfMeansByName() {}

    /**
     * Runs {@link #COMMAND} followed by {@code more}.
     *
     * @param more further options, e.g. {@code --out DIR} or {@code --threads 1}; an option given
     *     again overrides the command's, as on the command line ({@code --rounds 5})
     * @param out the command's standard output
     * @param err the command's standard error
     * @return the command's exit status: 0 on success, 2 for a mistake in the options
     */
    public static int run(List<String> more, PrintWriter out, PrintWriter err) {
        List<String> args = new ArrayList<>(COMMAND);
        args.addAll(more);
        return Main.run(args.toArray(String[]::new), out, err);
    }

    /**
     * Runs the command with the given further options and exits with its status.
     *
     * @param args further options of {@code splitfed simulate}
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int status = run(List.of(args), out, err);
        out.flush();
        err.flush();
        if (status != 0) {
            System.exit(status);
        }
    }
}
