package dev.splitfed.bench;

import dev.splitfed.InvalidInputException;
import dev.splitfed.data.DataOptions;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How long {@code --dataset csv:FILE} takes to load a large table, and how much heap it needs: the
 * figure of issue 16 is 1,000,000 rows of 30 columns in at most 10 s and 1 GB of heap.
 *
 * <p>Writes a table to a temporary file (not timed): {@code COLUMNS - 2} numeric columns of
 * Gaussian values with four decimals, one text column {@code region} of 8 categories, and a label
 * {@code y} of 2 classes; then loads it as a run does ({@link DatasetCatalog#load}: parse, stratified
 * 80/20 split, standardisation, one-hot encoding) and prints one JSON line per load:
 *
 * <pre>
 * java -Xmx1g -cp splitfed-bench/target/benchmarks.jar dev.splitfed.bench.CsvLoad
 * {"load":1,"rows":1000000,"columns":30,"features":36,"file_mb":...,"seconds":...,"cpu_seconds":...,
 *  "rows_per_second":...,"peak_heap_mb":...,"max_heap_mb":...}
 * </pre>
 *
 * <p>{@code seconds} is wall-clock time, {@code rows_per_second} rows over it; {@code cpu_seconds}
 * is the process's CPU time over the load (its thread, the garbage collector's, the JIT's), which a
 * busy machine does not inflate as it does wall-clock time. {@code peak_heap_mb} is the sum over the heap's memory pools of each pool's peak use during
 * the load (their peaks were reset before it): an upper bound of the heap the load held at once.
 * Run with {@code -Xmx1g} so that a load needing more fails instead of being measured.
 */
public final class CsvLoad {

    private static final String USAGE =
            "usage: CsvLoad [--rows N] [--columns C] [--loads L] [--file PATH (kept; written if missing)]";

    private CsvLoad() {}

    /**
     * Writes the table, loads it and prints the figures; a bad argument prints one sentence and
     * exits with status 2.
     *
     * @param args {@code --rows N} (default 1,000,000), {@code --columns C} (default 30, at least
     *     3), {@code --loads L} (default 1: the first, cold load is the figure), {@code --file PATH}
     *     (default: a temporary file, deleted afterwards)
     */
    public static void main(String[] args) throws IOException {
        int rows = 1_000_000;
        int columns = 30;
        int loads = 1;
        Path file = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--rows" -> rows = positive(args[i], value);
                    case "--columns" -> columns = positive(args[i], value);
                    case "--loads" -> loads = positive(args[i], value);
                    case "--file" -> file = Path.of(required(args[i], value));
                    default -> throw new InvalidInputException("unknown option " + args[i] + "; " + USAGE);
                }
                i++;
            }
            if (columns < 3) {
                throw new InvalidInputException("--columns must be at least 3 (a number, the text and the label)");
            }
        } catch (InvalidInputException e) {
            System.err.println("CsvLoad: " + e.getMessage());
            System.exit(2);
            return;
        }
        boolean temporary = file == null;
        if (temporary) {
            file = Files.createTempFile("splitfed-csv-load", ".csv");
        }
        try {
            if (temporary || !Files.exists(file)) {
                write(file, rows, columns);
            }
            double megabytes = Files.size(file) / 1e6;
            for (int load = 1; load <= loads; load++) {
                measure(load, file, rows, columns, megabytes);
            }
        } finally {
            if (temporary) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static void measure(int load, Path file, int rows, int columns, double megabytes) {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        long cpuStart = cpuNanos();
        long start = System.nanoTime();
        DataSplit split = DatasetCatalog.load("csv:" + file, new DataOptions("y", null, null, null, 0), null, Map.of());
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (cpuNanos() - cpuStart) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        int loaded = split.train().size() + split.test().size();
        if (loaded != rows) {
            throw new IllegalStateException("loaded " + loaded + " rows, wrote " + rows);
        }
        System.out.printf(Locale.ROOT, "{\"load\":%d,\"rows\":%d,\"columns\":%d,\"features\":%d,\"file_mb\":%.1f,"
                        + "\"seconds\":%.3f,\"cpu_seconds\":%.3f,\"rows_per_second\":%.0f,\"peak_heap_mb\":%.1f,"
                        + "\"max_heap_mb\":%.1f}%n",
                load, rows, columns, split.train().featureSize(), megabytes, seconds, cpuSeconds, rows / seconds,
                peak / 1e6,
                Runtime.getRuntime().maxMemory() / 1e6);
        System.out.flush();
    }

    /** CPU time of this process so far: the load's own thread, the garbage collector's and the JIT's. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Writes {@code columns - 2} numeric columns, the text column {@code region} and the label {@code y}. */
    private static void write(Path file, int rows, int columns) {
        SplittableRandom random = new SplittableRandom(16);
        int numeric = columns - 2;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            for (int j = 0; j < numeric; j++) {
                line.append('x').append(j).append(',');
            }
            out.append(line).append("region,y\n");
            for (int i = 0; i < rows; i++) {
                line.setLength(0);
                double sum = 0;
                for (int j = 0; j < numeric; j++) {
                    double value = Math.round(gaussian(random) * 1e4) / 1e4;
                    sum += value;
                    line.append(value).append(',');
                }
                line.append("r").append(random.nextInt(8)).append(',').append(sum > 0 ? "yes" : "no").append('\n');
                out.append(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A standard normal value (Box-Muller; SplittableRandom has none of its own in Java 17). */
    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new InvalidInputException(option + " needs a value; " + USAGE);
        }
        return value;
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(required(option, value));
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Refused below.
        }
        throw new InvalidInputException(option + " must be a whole number of at least 1, not " + value);
    }
}
