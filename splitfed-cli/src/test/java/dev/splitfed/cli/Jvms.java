package dev.splitfed.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs splitfed command lines in child JVMs on the tests' class path, as a deployment's server and
 * clients run: each writes its output to a log file, and {@link #close} kills those still running.
 */
final class Jvms implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();

    /**
     * Starts {@code splitfed ARGS} in a new JVM (1 GB heap, offline, headless).
     *
     * @param log the file that receives its standard output and error
     * @param args the command line after {@code splitfed}
     * @return the process
     */
    Process start(Path log, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    /** Returns every process started, in order. */
    List<Process> all() {
        return List.copyOf(processes);
    }

    /**
     * Waits for a process to end and checks that it succeeded, showing its log if not.
     *
     * @param p the process
     * @param log its log file
     * @param minutes how long to wait
     */
    static void awaitSuccess(Process p, Path log, long minutes) throws IOException, InterruptedException {
        assertThat(p.waitFor(minutes, TimeUnit.MINUTES)).as("ended within " + minutes + " min: " + log).isTrue();
        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
    }

    /** Returns the largest absolute difference between two weight vectors of the same length. */
    static double maxAbsDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Override
    public void close() {
        processes.forEach(Process::destroyForcibly);
    }
}
