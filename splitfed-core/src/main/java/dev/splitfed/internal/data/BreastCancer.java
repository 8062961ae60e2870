package dev.splitfed.internal.data;

import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import dev.splitfed.InvalidInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loads the Wisconsin Diagnostic Breast Cancer data set (Street, Wolberg &amp; Mangasarian 1993;
 * UCI, CC BY 4.0) bundled with splitfed-core: 569 samples of 30 features, malignant or benign.
 *
 * <p>The bundled CSV is scikit-learn's copy: a header {@code 569,30,malignant,benign} (rows,
 * features, class names), then one row per sample of 30 features and the target, 0 = malignant and
 * 1 = benign. The data has no official split, so 20% of each class becomes the test split, chosen
 * with the fixed {@link #SPLIT_SEED} so that every run, whatever its own seed, trains and tests on
 * the same samples. Features are standardised with the training split's mean and standard
 * deviation ({@link Standardizer}).
 */
public final class BreastCancer {

    /** The data set's name in reports and on the command line. */
    public static final String NAME = "breast-cancer";

    /** Share of each class held out for testing. */
    public static final double TEST_FRACTION = 0.2;

    /** Seed of the train/test split; independent of the run seed so the split never changes. */
    public static final long SPLIT_SEED = 19951101L;

    private static final String FILE = "breast-cancer/breast_cancer.csv";
    private static final String RESOURCE = "/dev/splitfed/data/" + FILE;

    private BreastCancer() {}

    /**
     * Loads the bundled CSV, splits it 80/20 by class and standardises it.
     *
     * @return 456 training and 113 test samples of shape {@code {30}}
     */
    public static DataSplit load() {
        try (InputStream in = BreastCancer.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the class path lacks " + FILE + "; splitfed-core was built without it");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            return split(parse(reader, FILE), "bundled " + FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Splits a parsed data set 80/20 by class and standardises it with the training statistics.
     *
     * @param all every sample
     * @param source where the samples came from, for {@link DataSplit#source()}
     * @return the standardised splits
     */
    private static DataSplit split(Dataset all, String source) {
        StratifiedSplit split =
                StratifiedSplit.ofFraction(all.labels(), all.numClasses(), TEST_FRACTION, SPLIT_SEED);
        Dataset train = all.select(split.rest());
        Dataset test = all.select(split.chosen());
        Standardizer standardizer = Standardizer.fit(train.features(), all.featureSize());
        return new DataSplit(
                standardized(train, standardizer), standardized(test, standardizer), source, false);
    }

    private static Dataset standardized(Dataset part, Standardizer standardizer) {
        return new Dataset(NAME, standardizer.transform(part.features()), part.labels(),
                part.sampleShape(), part.classNames());
    }

    /**
     * Parses the CSV: a header {@code ROWS,FEATURES,CLASS...}, then rows of features and target.
     *
     * @param reader the CSV text
     * @param fileName the file's name, for error messages
     * @return the samples, unstandardised
     * @throws InvalidInputException naming the line of the first malformed value
     * @throws IOException if reading fails
     */
    static Dataset parse(BufferedReader reader, String fileName) throws IOException {
        String headerLine = reader.readLine();
        if (headerLine == null) {
            throw new InvalidInputException(
                    fileName + " is empty, but it should start with a header such as 569,30,malignant,benign.");
        }
        String[] header = headerLine.split(",", -1);
        if (header.length < 4 || !header[0].matches("\\d{1,9}") || !header[1].matches("\\d{1,9}")
                || Integer.parseInt(header[1]) < 1) {
            throw new InvalidInputException(
                    fileName + " line 1 is '" + headerLine
                            + "', but it should be ROWS,FEATURES,CLASS,CLASS..."
                            + " such as 569,30,malignant,benign.");
        }
        int expectedRows = Integer.parseInt(header[0]);
        int featureSize = Integer.parseInt(header[1]);
        List<String> classNames = List.of(Arrays.copyOfRange(header, 2, header.length));
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int lineNumber = 1;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (fields.length != featureSize + 1) {
                throw new InvalidInputException(
                        fileName + " line " + lineNumber + " has " + fields.length + " columns, expected "
                                + (featureSize + 1) + " (" + featureSize + " features and the target).");
            }
            float[] row = new float[featureSize];
            for (int j = 0; j < featureSize; j++) {
                row[j] = parseFeature(fields[j], fileName, lineNumber, j + 1);
            }
            String target = fields[featureSize].trim();
            if (!target.matches("\\d{1,9}") || Integer.parseInt(target) >= classNames.size()) {
                throw new InvalidInputException(
                        fileName + " line " + lineNumber + ": target '" + target
                                + "' is not a class index from 0 to " + (classNames.size() - 1) + ".");
            }
            rows.add(row);
            labels.add(Integer.parseInt(target));
        }
        if (rows.size() != expectedRows) {
            throw new InvalidInputException(
                    fileName + " holds " + rows.size() + " data rows, but its header announces "
                            + expectedRows + ".");
        }
        float[] features = new float[rows.size() * featureSize];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, features, i * featureSize, featureSize);
        }
        int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
        return new Dataset(NAME, features, y, new int[] {featureSize}, classNames);
    }

    private static float parseFeature(String field, String fileName, int lineNumber, int column) {
        String message = fileName + " line " + lineNumber + ", column " + column + ": '" + field.trim()
                + "' is not a finite number.";
        float value;
        try {
            value = Float.parseFloat(field);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(message, e);
        }
        if (!Float.isFinite(value)) {
            throw new InvalidInputException(message);
        }
        return value;
    }
}
