package dev.splitfed.internal.data;

import dev.splitfed.InvalidInputException;
import dev.splitfed.data.DataOptions;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a user's CSV table ({@code --dataset csv:FILE}) into a training and a test split, and a
 * deployed client's own table with the run's {@link CsvSchema}.
 *
 * <p>The rules:
 *
 * <ul>
 *   <li>The file is UTF-8 (a byte-order mark is skipped), comma-separated, RFC 4180 quoting;
 *       spaces around a cell are ignored and blank lines skipped. Its first line is a header that
 *       names every column, each once.
 *   <li>The label column is {@code --label}, else the last column; the owner column
 *       ({@code --owner}, optional) names each row's owner and is not a feature. The label and
 *       owner columns are read as text.
 *   <li>Classes are the label's distinct values in the training split, sorted: by value when every
 *       one is a decimal number ({@code 2} before {@code 10}), else as text (by UTF-16 code unit).
 *       Owners are sorted as text.
 *   <li>A column is numeric when every cell of the training file is a decimal number
 *       ({@code -1.5}, {@code 2e3}; not {@code NaN}, {@code Infinity} or hexadecimal), decided
 *       over the whole file before any split so a column's kind never depends on the split; else
 *       it is text. A numeric cell is read as a float; one beyond a float's range is refused.
 *   <li>A numeric column is standardised with the training split's mean and population standard
 *       deviation, as {@link Standardizer} does (a column whose training values are all equal is
 *       only centred). A text column is one-hot encoded over the categories of the training split,
 *       sorted as text; a category the training split lacks encodes as all zeros. A text column
 *       may have at most {@link #MAX_CATEGORIES} categories, a label at most {@link #MAX_CLASSES}
 *       classes.
 *   <li>Without {@code --test-file}, a stratified {@link #TEST_FRACTION} of each class is held out
 *       for testing, chosen with the fixed {@link #SPLIT_SEED} (not the run's seed, which the
 *       provider never sees) so that every run of a file tests on the same rows. With it, the
 *       whole file is the training split and the test file is read with the training split's
 *       schema: it must have the same columns (in any order), and a class the training split lacks
 *       is refused.
 *   <li>An empty cell, a row with another number of cells than the header, a number out of a
 *       float's range are refused with one sentence naming the file, the line and the column.
 *       Lines are counted from 1, the header being line 1; a row whose quoted cell spans lines is
 *       named by its last line.
 * </ul>
 *
 * <p>Rows are streamed: each numeric column is kept as floats and each text column as category
 * codes in chunks, never as strings, so a table costs about 4 bytes a cell while it is read, plus
 * the encoded splits. A column that starts with numbers and later holds text costs a second pass
 * over the file.
 */
public final class CsvTable {

    /** The data set's name on the command line: {@code csv:FILE}. */
    public static final String NAME = "csv";

    /** Share of each class held out for testing when no test file is given. */
    public static final double TEST_FRACTION = 0.2;

    /** Seed of the train/test split; independent of the run seed so a file's split never changes. */
    public static final long SPLIT_SEED = 20261207L;

    /** The most categories a text feature column may have. */
    public static final int MAX_CATEGORIES = 1000;

    /** The most classes a label column may have. */
    public static final int MAX_CLASSES = 1000;

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();

    private static final int BUFFER = 1 << 16;

    /** commons-csv's words for a quoted cell left open at the end of the file. */
    private static final Pattern UNCLOSED = Pattern.compile("\\(startline (\\d+)\\) EOF reached before encapsulated");

    /** commons-csv's words for text after a closing quote. */
    private static final Pattern AFTER_QUOTE =
            Pattern.compile("Invalid character between encapsulated token and delimiter at line: (\\d+)");

    private CsvTable() {}

    /**
     * Reads a training file, splits it (or reads the test file) and encodes both splits.
     *
     * @param file the CSV file
     * @param options {@code label}, {@code owner} and {@code testFile} are read; the others are ignored
     * @return the encoded splits with the schema of the training split
     * @throws InvalidInputException if a file is missing, malformed, or does not fit the options
     */
    public static DataSplit load(Path file, DataOptions options) {
        Table table = read(file, options.label(), options.owner(), Set.of());
        if (!table.switched.isEmpty()) {
            table = read(file, options.label(), options.owner(), table.switched);
        }
        return table.split(options.testFile());
    }

    /**
     * Reads a deployed client's own file with the run's schema: every row is a training sample.
     *
     * @param file the client's CSV file
     * @param schema the run's schema
     * @return the encoded rows, with owners when the schema has an owner column
     * @throws InvalidInputException if the file is missing, malformed, or does not match the schema
     *     (the message says what differs)
     */
    public static Dataset loadOwn(Path file, CsvSchema schema) {
        return encode(file, schema, "the run's data");
    }

    // ---------------------------------------------------------------- the training file

    /** Kinds of a column while the training file is read. */
    private enum Kind { NUMERIC, TEXT, SWITCHED, LABEL, OWNER }

    /** The training file as read: column stores, before any split. */
    private static final class Table {
        final Path file;
        final List<String> header;
        final int labelColumn;
        final int ownerColumn;
        final Kind[] kinds;
        final FloatChunks[] numbers;
        final Codes[] codes;
        final Set<Integer> switched = new HashSet<>();
        int rows;

        Table(Path file, List<String> header, int labelColumn, int ownerColumn) {
            this.file = file;
            this.header = header;
            this.labelColumn = labelColumn;
            this.ownerColumn = ownerColumn;
            this.kinds = new Kind[header.size()];
            this.numbers = new FloatChunks[header.size()];
            this.codes = new Codes[header.size()];
        }

        DataSplit split(Path testFile) {
            if (rows == 0) {
                throw new InvalidInputException(file + " has a header row but no data rows.");
            }
            Codes labelCodes = codes[labelColumn];
            String labelName = header.get(labelColumn);
            List<String> classes = sortedClasses(labelCodes.values);
            if (classes.size() < 2) {
                throw new InvalidInputException(file + " column '" + labelName + "', the label, holds only one class ('"
                        + classes.get(0) + "'); a label needs at least two.");
            }
            int[] classOf = labelCodes.mapping(classes);
            int[] y = new int[rows];
            for (int i = 0; i < rows; i++) {
                y[i] = classOf[labelCodes.get(i)];
            }
            int[] train;
            int[] test;
            if (testFile == null) {
                StratifiedSplit split = StratifiedSplit.ofFraction(y, classes.size(), TEST_FRACTION, SPLIT_SEED);
                train = split.rest();
                test = split.chosen();
                if (test.length == 0) {
                    throw new InvalidInputException(file + " has too few rows for a test split: a stratified "
                            + Math.round(TEST_FRACTION * 100) + "% of each class holds none of its " + rows
                            + " rows; add rows or give {test-file}.");
                }
            } else {
                train = new int[rows];
                Arrays.setAll(train, i -> i);
                test = null;
            }
            CsvSchema schema = schema(train, classes);
            if (schema.featureSize() == 0) {
                throw new InvalidInputException(file + " has no feature columns, only the label '" + labelName + "'"
                        + (ownerColumn < 0 ? "" : " and the owner '" + header.get(ownerColumn) + "'") + ".");
            }
            List<String> owners = ownerColumn < 0 ? List.of() : sorted(codes[ownerColumn].values);
            Dataset trainSet = encodeRows(train, schema, y, owners);
            Dataset testSet = test != null ? encodeRows(test, schema, y, owners)
                    : encode(testFile, schema, "training file " + file);
            String source = testFile == null ? file.toString() : file + " and " + testFile;
            return new DataSplit(trainSet, testSet, source, false, schema.toDataSchema());
        }

        /** The schema the training rows give: statistics and categories of those rows only. */
        CsvSchema schema(int[] train, List<String> classes) {
            List<CsvSchema.Column> features = new ArrayList<>();
            for (int j = 0; j < header.size(); j++) {
                if (kinds[j] == Kind.NUMERIC) {
                    FloatChunks values = numbers[j];
                    double mean = 0;
                    for (int i : train) {
                        mean += values.get(i);
                    }
                    mean /= train.length;
                    double sum = 0;
                    for (int i : train) {
                        double d = values.get(i) - mean;
                        sum += d * d;
                    }
                    features.add(CsvSchema.Column.numeric(header.get(j), mean, Math.sqrt(sum / train.length)));
                } else if (kinds[j] == Kind.TEXT) {
                    Codes column = codes[j];
                    BitSet seen = new BitSet(column.values.size());
                    for (int i : train) {
                        seen.set(column.get(i));
                    }
                    List<String> categories = new ArrayList<>();
                    seen.stream().forEach(c -> categories.add(column.values.get(c)));
                    Collections.sort(categories);
                    features.add(CsvSchema.Column.text(header.get(j), categories));
                }
            }
            return new CsvSchema(CsvSchema.VERSION, header.get(labelColumn),
                    ownerColumn < 0 ? null : header.get(ownerColumn), classes, features);
        }

        /** Encodes some rows of the column stores with the schema. */
        Dataset encodeRows(int[] rowIndices, CsvSchema schema, int[] y, List<String> ownerNames) {
            int size = schema.featureSize();
            long length = (long) rowIndices.length * size;
            if (length > Integer.MAX_VALUE - 8) {
                throw new InvalidInputException(file + " has " + rowIndices.length + " rows of " + size
                        + " features, more floats than one Java array holds.");
            }
            float[] features = new float[(int) length];
            int offset = 0;
            int f = 0;
            for (int j = 0; j < header.size(); j++) {
                if (kinds[j] == Kind.NUMERIC) {
                    CsvSchema.Column column = schema.features().get(f++);
                    double mean = column.mean();
                    double std = column.std();
                    FloatChunks values = numbers[j];
                    for (int r = 0; r < rowIndices.length; r++) {
                        features[r * size + offset] = standardise(values.get(rowIndices[r]), mean, std);
                    }
                    offset++;
                } else if (kinds[j] == Kind.TEXT) {
                    CsvSchema.Column column = schema.features().get(f++);
                    int[] categoryOf = codes[j].mapping(column.categories());
                    Codes values = codes[j];
                    for (int r = 0; r < rowIndices.length; r++) {
                        int c = categoryOf[values.get(rowIndices[r])];
                        if (c >= 0) {
                            features[r * size + offset + c] = 1f;
                        }
                    }
                    offset += column.width();
                }
            }
            int[] labels = new int[rowIndices.length];
            for (int r = 0; r < rowIndices.length; r++) {
                labels[r] = y[rowIndices[r]];
            }
            int[] owners = null;
            if (ownerColumn >= 0) {
                int[] ownerOf = codes[ownerColumn].mapping(ownerNames);
                owners = new int[rowIndices.length];
                for (int r = 0; r < rowIndices.length; r++) {
                    owners[r] = ownerOf[codes[ownerColumn].get(rowIndices[r])];
                }
            }
            return new Dataset(file.getFileName().toString(), features, labels, new int[] {size},
                    schema.classes(), Dataset.Kind.FEATURES, owners, ownerNames);
        }
    }

    /**
     * Reads the training file into column stores.
     *
     * @param asText columns to read as text from the first row: those a first pass found to start
     *     with numbers and later hold text
     */
    private static Table read(Path file, String label, String owner, Set<Integer> asText) {
        try (Reader in = open(file); CSVParser parser = CSVParser.parse(in, FORMAT)) {
            Iterator<CSVRecord> records = parser.iterator();
            List<String> header = header(file, records);
            int labelColumn = label == null ? header.size() - 1 : column(file, header, label, "label");
            int ownerColumn = owner == null ? -1 : column(file, header, owner, "owner");
            if (labelColumn == ownerColumn) {
                throw new InvalidInputException("{label} and {owner} both name column '" + owner + "' of " + file
                        + "; the owner column cannot also be the label.");
            }
            Table table = new Table(file, header, labelColumn, ownerColumn);
            int columns = header.size();
            Kind[] kinds = table.kinds;
            String[] firstText = new String[columns];
            long[] firstTextLine = new long[columns];
            int row = 0;
            while (records.hasNext()) {
                CSVRecord record = records.next();
                long line = parser.getCurrentLineNumber();
                checkSize(file, header, record, line);
                if (row == 0) {
                    for (int j = 0; j < columns; j++) {
                        kinds[j] = j == labelColumn ? Kind.LABEL : j == ownerColumn ? Kind.OWNER
                                : !asText.contains(j) && isNumber(record.get(j)) ? Kind.NUMERIC : Kind.TEXT;
                        if (kinds[j] == Kind.NUMERIC) {
                            table.numbers[j] = new FloatChunks();
                        } else {
                            table.codes[j] = new Codes();
                        }
                    }
                }
                if (row == Integer.MAX_VALUE - 8) {
                    throw new InvalidInputException(file + " has more rows than splitfed reads, "
                            + (Integer.MAX_VALUE - 8) + ".");
                }
                for (int j = 0; j < columns; j++) {
                    String cell = record.get(j);
                    if (cell.isBlank()) {
                        throw emptyCell(file, line, header.get(j));
                    }
                    switch (kinds[j]) {
                        case NUMERIC -> {
                            if (isNumber(cell)) {
                                table.numbers[j].add(parseFloat(file, line, header.get(j), cell));
                            } else {
                                kinds[j] = Kind.SWITCHED;
                                table.numbers[j] = null;
                                table.switched.add(j);
                                firstText[j] = cell;
                                firstTextLine[j] = line;
                            }
                        }
                        case TEXT -> {
                            int before = table.codes[j].values.size();
                            table.codes[j].add(cell);
                            if (table.codes[j].values.size() > before) {
                                if (firstText[j] == null && asText.contains(j) && !isNumber(cell)) {
                                    firstText[j] = cell;
                                    firstTextLine[j] = line;
                                }
                                if (before == MAX_CATEGORIES) {
                                    throw tooManyCategories(file, header.get(j), firstText[j], firstTextLine[j]);
                                }
                            }
                        }
                        case LABEL -> {
                            table.codes[j].add(cell);
                            if (table.codes[j].values.size() > MAX_CLASSES) {
                                throw new InvalidInputException(file + " column '" + header.get(j)
                                        + "', the label, has more than " + MAX_CLASSES
                                        + " distinct values; a label column must hold classes.");
                            }
                        }
                        case OWNER -> table.codes[j].add(cell);
                        case SWITCHED -> { }
                    }
                }
                row++;
            }
            table.rows = row;
            return table;
        } catch (IOException | UncheckedIOException e) {
            throw unreadable(file, e);
        }
    }

    private static InvalidInputException tooManyCategories(Path file, String column, String text, long line) {
        if (text != null && line > 0) {
            return new InvalidInputException(file + " column '" + column + "' is read as text, since line " + line
                    + " holds '" + text + "', not a number, and has more than " + MAX_CATEGORIES
                    + " distinct values, too many to one-hot encode; make every cell a number or drop the column.");
        }
        return new InvalidInputException(file + " column '" + column + "' is text with more than "
                + MAX_CATEGORIES + " distinct values, too many to one-hot encode; drop the column.");
    }

    /** Sorts class names: by value when all are decimal numbers, else as text. */
    static List<String> sortedClasses(List<String> values) {
        List<String> classes = new ArrayList<>(values);
        if (classes.stream().allMatch(CsvTable::isNumber)) {
            classes.sort(Comparator.comparingDouble((String s) -> Double.parseDouble(s))
                    .thenComparing(Comparator.naturalOrder()));
        } else {
            Collections.sort(classes);
        }
        return classes;
    }

    private static List<String> sorted(List<String> values) {
        List<String> copy = new ArrayList<>(values);
        Collections.sort(copy);
        return copy;
    }

    // ---------------------------------------------------------------- a file read with a schema

    /**
     * Reads a file with a schema fixed elsewhere: a test file with the training file's, a
     * client's own file with the run's.
     *
     * @param whose whose columns and classes the file must have, for messages: "the run's data"
     */
    private static Dataset encode(Path file, CsvSchema schema, String whose) {
        try (Reader in = open(file); CSVParser parser = CSVParser.parse(in, FORMAT)) {
            Iterator<CSVRecord> records = parser.iterator();
            List<String> header = header(file, records);
            checkColumns(file, header, schema, whose);
            int size = schema.featureSize();
            int columns = header.size();
            int[] featureOf = new int[columns];
            int[] offsetOf = new int[columns];
            Arrays.fill(featureOf, -1);
            Map<String, Integer> position = new HashMap<>();
            for (int j = 0; j < columns; j++) {
                position.put(header.get(j), j);
            }
            int offset = 0;
            for (int f = 0; f < schema.features().size(); f++) {
                CsvSchema.Column column = schema.features().get(f);
                int j = position.get(column.name());
                featureOf[j] = f;
                offsetOf[j] = offset;
                offset += column.width();
            }
            int labelColumn = position.get(schema.label());
            int ownerColumn = schema.owner() == null ? -1 : position.get(schema.owner());
            Map<String, Map<String, Integer>> categories = schema.categoryIndex();
            @SuppressWarnings("unchecked")
            Map<String, Integer>[] categoryOf = new Map[columns];
            for (int j = 0; j < columns; j++) {
                categoryOf[j] = categories.get(header.get(j));
            }
            Map<String, Integer> classOf = new HashMap<>();
            for (int c = 0; c < schema.classes().size(); c++) {
                classOf.put(schema.classes().get(c), c);
            }
            FloatChunks features = new FloatChunks();
            IntChunks labels = new IntChunks();
            Codes owners = ownerColumn < 0 ? null : new Codes();
            float[] row = new float[size];
            int rows = 0;
            while (records.hasNext()) {
                CSVRecord record = records.next();
                long line = parser.getCurrentLineNumber();
                checkSize(file, header, record, line);
                Arrays.fill(row, 0f);
                for (int j = 0; j < columns; j++) {
                    String cell = record.get(j);
                    if (cell.isBlank()) {
                        throw emptyCell(file, line, header.get(j));
                    }
                    int f = featureOf[j];
                    if (j == labelColumn) {
                        Integer c = classOf.get(cell);
                        if (c == null) {
                            throw new InvalidInputException(file + " line " + line + ", column '" + header.get(j)
                                    + "' holds class '" + cell + "', which " + whose + " does not have (its classes are "
                                    + String.join(", ", schema.classes()) + ").");
                        }
                        labels.add(c);
                    } else if (j == ownerColumn) {
                        owners.add(cell);
                    } else if (schema.features().get(f).isNumeric()) {
                        if (!isNumber(cell)) {
                            throw new InvalidInputException(file + " line " + line + ", column '" + header.get(j)
                                    + "' holds '" + cell + "', but " + whose + " has numbers in that column.");
                        }
                        CsvSchema.Column column = schema.features().get(f);
                        row[offsetOf[j]] = standardise(parseFloat(file, line, header.get(j), cell),
                                column.mean(), column.std());
                    } else {
                        Integer c = categoryOf[j].get(cell);
                        if (c != null) {
                            row[offsetOf[j] + c] = 1f;
                        }
                    }
                }
                if ((long) (rows + 1) * size > Integer.MAX_VALUE - 8) {
                    throw new InvalidInputException(file + " has more rows of " + size
                            + " features than one Java array holds.");
                }
                features.addAll(row);
                rows++;
            }
            if (rows == 0) {
                throw new InvalidInputException(file + " has a header row but no data rows.");
            }
            int[] ownerIndices = null;
            List<String> ownerNames = List.of();
            if (owners != null) {
                ownerNames = sorted(owners.values);
                int[] mapping = owners.mapping(ownerNames);
                ownerIndices = new int[rows];
                for (int i = 0; i < rows; i++) {
                    ownerIndices[i] = mapping[owners.get(i)];
                }
            }
            return new Dataset(file.getFileName().toString(), features.toArray(), labels.toArray(), new int[] {size},
                    schema.classes(), Dataset.Kind.FEATURES, ownerIndices, ownerNames);
        } catch (IOException | UncheckedIOException e) {
            throw unreadable(file, e);
        }
    }

    /** Refuses a header that does not name the schema's columns, saying which are missing and which extra. */
    private static void checkColumns(Path file, List<String> header, CsvSchema schema, String whose) {
        Set<String> expected = new TreeSet<>(schema.columns());
        Set<String> missing = new TreeSet<>(expected);
        header.forEach(missing::remove);
        Set<String> extra = new TreeSet<>(header);
        extra.removeAll(expected);
        if (missing.isEmpty() && extra.isEmpty()) {
            return;
        }
        List<String> parts = new ArrayList<>();
        if (!missing.isEmpty()) {
            parts.add("lacks " + quoted(missing));
        }
        if (!extra.isEmpty()) {
            parts.add("has " + quoted(extra) + ", which " + whose + " does not");
        }
        throw new InvalidInputException(file + " does not have the columns of " + whose + ": it "
                + String.join(" and ", parts) + " (those columns are " + quoted(schema.columns()) + ").");
    }

    private static String quoted(Iterable<String> names) {
        List<String> list = new ArrayList<>();
        names.forEach(n -> list.add("'" + n + "'"));
        return String.join(", ", list);
    }

    // ---------------------------------------------------------------- shared

    private static Reader open(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new InvalidInputException("csv file " + file + " does not exist.");
        }
        if (Files.isDirectory(file)) {
            throw new InvalidInputException("csv file " + file + " is a directory, not a file.");
        }
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)), BUFFER);
    }

    private static InvalidInputException unreadable(Path file, Exception e) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (cause instanceof CharacterCodingException) {
            return new InvalidInputException(file + " is not UTF-8 text.", e);
        }
        if (cause instanceof NoSuchFileException) {
            return new InvalidInputException("csv file " + file + " does not exist.", e);
        }
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getMessage().lines().findFirst().orElse("").replaceAll("\\.$", "");
        Matcher unclosed = UNCLOSED.matcher(reason);
        if (unclosed.find()) {
            return new InvalidInputException(file + " line " + unclosed.group(1)
                    + " opens a quoted cell that the file never closes.", e);
        }
        Matcher after = AFTER_QUOTE.matcher(reason);
        if (after.find()) {
            return new InvalidInputException(file + " line " + after.group(1)
                    + " has text after a quoted cell's closing quote; write a quote inside a quoted cell as \"\".", e);
        }
        return new InvalidInputException(file + " cannot be read as CSV: " + reason + ".", e);
    }

    /** Reads and checks the header row: present, not all numbers, every column named once. */
    private static List<String> header(Path file, Iterator<CSVRecord> records) {
        if (!records.hasNext()) {
            throw new InvalidInputException(file + " is empty, but it must start with a header row naming the columns.");
        }
        List<String> header = new ArrayList<>(records.next().toList());
        if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
            header.set(0, header.get(0).substring(1).strip());
        }
        if (header.stream().allMatch(CsvTable::isNumber)) {
            throw new InvalidInputException(file + " line 1 holds only numbers, but it must be a header row naming "
                    + "the columns.");
        }
        Set<String> seen = new HashSet<>();
        for (int j = 0; j < header.size(); j++) {
            String name = header.get(j);
            if (name.isEmpty()) {
                throw new InvalidInputException(file + " line 1 leaves column " + (j + 1)
                        + " without a name; the header row must name every column.");
            }
            if (!seen.add(name)) {
                throw new InvalidInputException(file + " line 1 names column '" + name + "' twice.");
            }
        }
        return header;
    }

    private static int column(Path file, List<String> header, String name, String setting) {
        int j = header.indexOf(name);
        if (j < 0) {
            throw new InvalidInputException(file + " has no column '" + name + "' for {" + setting
                    + "}; its columns are " + quoted(header) + ".");
        }
        return j;
    }

    private static void checkSize(Path file, List<String> header, CSVRecord record, long line) {
        int size = record.size();
        if (size != header.size()) {
            String which = size < header.size() ? "no cell for column '" + header.get(size) + "'"
                    : "a cell beyond the last column, '" + header.get(header.size() - 1) + "'";
            throw new InvalidInputException(file + " line " + line + " has " + size + (size == 1 ? " cell" : " cells")
                    + " where the header names " + header.size() + " columns: " + which + ".");
        }
    }

    private static InvalidInputException emptyCell(Path file, long line, String column) {
        return new InvalidInputException(file + " line " + line + ", column '" + column
                + "' is empty; every cell needs a value.");
    }

    /**
     * Returns whether a cell is a decimal number: an optional sign, digits with an optional
     * decimal point (at least one digit), an optional exponent.
     */
    static boolean isNumber(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponent = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                exponent++;
            }
            if (exponent == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Parses a cell {@link #isNumber} accepted; refuses one beyond a float's range. */
    private static float parseFloat(Path file, long line, String column, String cell) {
        float value = Float.parseFloat(cell);
        if (!Float.isFinite(value)) {
            throw new InvalidInputException(file + " line " + line + ", column '" + column + "' holds " + cell
                    + ", which is beyond a float's range.");
        }
        return value;
    }

    /** The one formula both the server's and a client's encoding use. */
    static float standardise(float x, double mean, double std) {
        double centred = x - mean;
        return (float) (std == 0 ? centred : centred / std);
    }

    /** Floats in chunks: no copying as they grow. */
    private static final class FloatChunks {
        private static final int SHIFT = 16;
        private static final int CHUNK = 1 << SHIFT;
        private float[][] chunks = new float[16][];
        private long size;

        void add(float value) {
            int chunk = (int) (size >>> SHIFT);
            if (chunk == chunks.length) {
                chunks = Arrays.copyOf(chunks, chunks.length * 2);
            }
            if (chunks[chunk] == null) {
                chunks[chunk] = new float[CHUNK];
            }
            chunks[chunk][(int) (size & (CHUNK - 1))] = value;
            size++;
        }

        void addAll(float[] values) {
            for (float v : values) {
                add(v);
            }
        }

        float get(int i) {
            return chunks[i >>> SHIFT][i & (CHUNK - 1)];
        }

        float[] toArray() {
            float[] out = new float[(int) size];
            for (int c = 0; (long) c * CHUNK < size; c++) {
                System.arraycopy(chunks[c], 0, out, c * CHUNK, (int) Math.min(CHUNK, size - (long) c * CHUNK));
            }
            return out;
        }
    }

    /** Ints in chunks. */
    private static class IntChunks {
        private static final int SHIFT = 16;
        private static final int CHUNK = 1 << SHIFT;
        private int[][] chunks = new int[16][];
        private int size;

        void add(int value) {
            int chunk = size >>> SHIFT;
            if (chunk == chunks.length) {
                chunks = Arrays.copyOf(chunks, chunks.length * 2);
            }
            if (chunks[chunk] == null) {
                chunks[chunk] = new int[CHUNK];
            }
            chunks[chunk][size & (CHUNK - 1)] = value;
            size++;
        }

        int get(int i) {
            return chunks[i >>> SHIFT][i & (CHUNK - 1)];
        }

        int[] toArray() {
            int[] out = new int[size];
            for (int c = 0; c * CHUNK < size; c++) {
                System.arraycopy(chunks[c], 0, out, c * CHUNK, Math.min(CHUNK, size - c * CHUNK));
            }
            return out;
        }
    }

    /** A text column: one code per row, and the distinct values in order of first appearance. */
    private static final class Codes extends IntChunks {
        final List<String> values = new ArrayList<>();
        private final Map<String, Integer> index = new HashMap<>();

        void add(String value) {
            Integer code = index.get(value);
            if (code == null) {
                code = values.size();
                index.put(value, code);
                values.add(value);
            }
            add(code.intValue());
        }

        /** Returns each code's position in {@code order}, or -1 for a value it lacks. */
        int[] mapping(List<String> order) {
            Map<String, Integer> at = new HashMap<>();
            for (int k = 0; k < order.size(); k++) {
                at.put(order.get(k), k);
            }
            int[] out = new int[values.size()];
            for (int c = 0; c < out.length; c++) {
                out[c] = at.getOrDefault(values.get(c), -1);
            }
            return out;
        }
    }
}
