package dev.splitfed.data;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How many samples of each class each client holds, as a table for the start of a run.
 *
 * <p>{@link #skew()} condenses the table into one number: the mean total-variation distance
 * between each client's class distribution and the distribution over all clients, 0 when every
 * client looks like the whole and approaching 1 when each holds classes no one else has.
 */
public final class ClassHistogram {

    /**
     * Above this many classes (a vocabulary rather than a label set), {@link #format} and the
     * reports show each client's sample count and number of distinct classes, not one column per class.
     */
    public static final int MAX_CLASS_COLUMNS = 20;

    /** Above this many clients, {@link #format} shows only the first {@link #ROWS_WHEN_LONG}. */
    public static final int MAX_FULL_ROWS = 20;

    /** Rows shown when the table is cut short. */
    public static final int ROWS_WHEN_LONG = 10;

    private final int[][] counts;

    private ClassHistogram(int[][] counts) {
        this.counts = counts;
    }

    /**
     * Counts the classes in each client's part.
     *
     * @param partition for each client, the sample indices it holds
     * @param labels one label per sample, each in {@code [0, numClasses)}
     * @param numClasses the number of classes
     * @return the histogram
     */
    public static ClassHistogram of(int[][] partition, int[] labels, int numClasses) {
        int[][] counts = new int[partition.length][numClasses];
        for (int k = 0; k < partition.length; k++) {
            for (int i : partition[k]) {
                counts[k][labels[i]]++;
            }
        }
        return new ClassHistogram(counts);
    }

    /** Returns the number of clients. */
    public int clients() {
        return counts.length;
    }

    /** Returns the number of classes. */
    public int numClasses() {
        return counts.length == 0 ? 0 : counts[0].length;
    }

    /** Returns how many samples of class {@code c} client {@code k} holds. */
    public int count(int k, int c) {
        return counts[k][c];
    }

    /** Returns how many samples client {@code k} holds. */
    public int samples(int k) {
        return Arrays.stream(counts[k]).sum();
    }

    /** Returns the counts as {@code [client][class]} (a copy). */
    public int[][] counts() {
        int[][] copy = new int[counts.length][];
        for (int k = 0; k < counts.length; k++) {
            copy[k] = counts[k].clone();
        }
        return copy;
    }

    /**
     * Returns the mean, over clients holding samples, of the total-variation distance between the
     * client's class distribution and the distribution of all clients' samples together.
     *
     * @return a value in {@code [0, 1)}: 0 for identical distributions
     */
    public double skew() {
        int classes = numClasses();
        double[] global = new double[classes];
        long total = 0;
        for (int[] row : counts) {
            for (int c = 0; c < classes; c++) {
                global[c] += row[c];
                total += row[c];
            }
        }
        if (total == 0) {
            return 0;
        }
        for (int c = 0; c < classes; c++) {
            global[c] /= total;
        }
        double sum = 0;
        int nonEmpty = 0;
        for (int k = 0; k < counts.length; k++) {
            int n = samples(k);
            if (n == 0) {
                continue;
            }
            double distance = 0;
            for (int c = 0; c < classes; c++) {
                distance += Math.abs((double) counts[k][c] / n - global[c]);
            }
            sum += distance / 2;
            nonEmpty++;
        }
        return sum / nonEmpty;
    }

    /**
     * Formats the table: a legend of class indices and names, a header, then one row per client
     * with its id, its sample count and its count of each class. With more than
     * {@link #MAX_FULL_ROWS} clients only the first {@link #ROWS_WHEN_LONG} rows are shown,
     * followed by a line {@code … N more clients}. With more than {@link #MAX_CLASS_COLUMNS}
     * classes the legend lists the first ten and each row gives the number of distinct classes
     * instead of a column per class.
     *
     * @param classNames one name per class
     * @return the table, lines ending in {@code \n}
     */
    public String format(List<String> classNames) {
        if (classNames.size() != numClasses()) {
            throw new IllegalArgumentException(
                    "need " + numClasses() + " class names, not " + classNames.size());
        }
        int maxCount = 0;
        for (int k = 0; k < counts.length; k++) {
            maxCount = Math.max(maxCount, samples(k));
        }
        int width = 1 + Math.max(
                String.valueOf(maxCount).length(), String.valueOf(numClasses() - 1).length());
        int samplesWidth = Math.max("samples".length(), String.valueOf(maxCount).length()) + 1;
        // A vocabulary's worth of columns would be unreadable: then a row counts its distinct classes.
        boolean columns = numClasses() <= MAX_CLASS_COLUMNS;
        int legend = columns ? numClasses() : 10;

        StringBuilder out = new StringBuilder(
                columns ? "classes:" : String.format(Locale.ROOT, "classes: %,d; the first ten:", numClasses()));
        for (int c = 0; c < legend; c++) {
            out.append(' ').append(c).append('=').append(classNames.get(c));
        }
        out.append(columns ? "" : " …").append('\n')
                .append(String.format("%-6s%" + samplesWidth + "s", "client", "samples"));
        if (columns) {
            for (int c = 0; c < numClasses(); c++) {
                out.append(String.format("%" + width + "d", c));
            }
        } else {
            out.append(String.format("%10s", "classes"));
        }
        out.append('\n');
        int shown = counts.length > MAX_FULL_ROWS ? ROWS_WHEN_LONG : counts.length;
        for (int k = 0; k < shown; k++) {
            out.append(String.format("%6d%" + samplesWidth + "d", k, samples(k)));
            if (columns) {
                for (int c = 0; c < numClasses(); c++) {
                    out.append(String.format("%" + width + "d", counts[k][c]));
                }
            } else {
                out.append(String.format("%10d", distinctClasses(k)));
            }
            out.append('\n');
        }
        if (shown < counts.length) {
            out.append("… ").append(counts.length - shown).append(" more clients\n");
        }
        return out.toString();
    }

    /**
     * Returns how many classes client {@code k} holds at least one sample of.
     *
     * @param k the client
     * @return the number of distinct classes
     */
    public int distinctClasses(int k) {
        int n = 0;
        for (int c : counts[k]) {
            n += c > 0 ? 1 : 0;
        }
        return n;
    }
}
