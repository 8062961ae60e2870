package dev.splitfed.cli;

import dev.splitfed.InvalidInputException;
import dev.splitfed.grpc.TransportException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The {@code splitfed} command line. A user mistake gets one sentence on stderr and exit status 2;
 * an internal fault gets a stack trace and exit status 1.
 */
public final class Main {

    /** Exit status for bad input: a flag, a config file, a data file. */
    public static final int USAGE = 2;

    private Main() {}

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, out, err));
    }

    /**
     * Runs the command line without exiting.
     *
     * @param args the arguments
     * @param out where results go
     * @param err where errors and progress go
     * @return the exit status
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cmd = new CommandLine(new SplitfedCommand());
        cmd.setOut(out);
        cmd.setErr(err);
        // As most command lines do, a repeated option means its last value (handy after --config).
        cmd.setOverwrittenOptionsAllowed(true);
        cmd.setParameterExceptionHandler((e, a) -> {
            CommandLine c = e.getCommandLine();
            err.println("splitfed: " + sentence(e.getMessage()));
            err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for the options.");
            return USAGE;
        });
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof InvalidInputException invalid) {
                err.println("splitfed: " + sentence(asFlags(invalid)));
                return USAGE;
            }
            if (e instanceof TransportException) {
                // Another process was unreachable or gone: say what failed, no stack trace.
                err.println("splitfed: " + sentence(e.getMessage()));
                return 1;
            }
            throw e;
        });
        try {
            ConfigFile.install(cmd, args);
        } catch (InvalidInputException e) {
            err.println("splitfed: " + sentence(asFlags(e)));
            return USAGE;
        }
        return cmd.execute(args);
    }

    /** Returns the message with the settings it names worded as the flags that set them. */
    static String asFlags(InvalidInputException e) {
        return e.message(key -> "--" + key);
    }

    /** Returns the message ending in a full stop, as the one sentence the user reads. */
    static String sentence(String message) {
        String s = message.strip();
        return s.endsWith(".") ? s : s + ".";
    }
}
