package dev.splitfed.internal.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.InvalidInputException;
import dev.splitfed.data.DataOptions;
import dev.splitfed.data.DataSchema;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.data.Partitioner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {

    private static final double SQRT_3_5 = Math.sqrt(3.5);

    @TempDir
    Path dir;

    private Path write(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    private static DataOptions options(String label, String owner, Path testFile) {
        return new DataOptions(label, owner, testFile, null, 0);
    }

    /** A training file whose every row trains, and a test file with its columns in another order. */
    private DataSplit hospitals() throws IOException {
        Path train = write("train.csv",
                "age,sex,site,outcome",
                "1,F,A,no",
                "2,M,A,yes",
                "3,F,B,no",
                "6,X,B,yes");
        Path test = write("test.csv",
                "outcome,site,sex,age",
                "yes,C,Z,3",
                "no,A,M,10");
        return CsvTable.load(train, options(null, "site", test));
    }

    @Test
    void standardisesNumbersAndOneHotEncodesTextWithTheTrainingStatistics() throws IOException {
        DataSplit split = hospitals();

        // age: mean 3, population variance (4 + 1 + 0 + 9) / 4 = 3.5; sex: categories F, M, X.
        Dataset train = split.train();
        assertThat(train.sampleShape()).containsExactly(4);
        assertThat(train.classNames()).containsExactly("no", "yes");
        assertThat(train.labels()).containsExactly(0, 1, 0, 1);
        float[] x = train.features();
        assertThat(row(x, 0, 4)).containsExactly(new float[] {(float) (-2 / SQRT_3_5), 1, 0, 0}, within(1e-6f));
        assertThat(row(x, 1, 4)).containsExactly(new float[] {(float) (-1 / SQRT_3_5), 0, 1, 0}, within(1e-6f));
        assertThat(row(x, 2, 4)).containsExactly(new float[] {0, 1, 0, 0}, within(1e-6f));
        assertThat(row(x, 3, 4)).containsExactly(new float[] {(float) (3 / SQRT_3_5), 0, 0, 1}, within(1e-6f));
        assertThat(train.ownerNames()).containsExactly("A", "B");
        assertThat(train.owners()).containsExactly(0, 0, 1, 1);
        assertThat(train.name()).isEqualTo("train.csv");

        // The test file's columns come in another order; its unseen category Z encodes as all zeros.
        Dataset test = split.test();
        assertThat(test.labels()).containsExactly(1, 0);
        float[] t = test.features();
        assertThat(row(t, 0, 4)).containsExactly(new float[] {0, 0, 0, 0}, within(1e-6f));
        assertThat(row(t, 1, 4)).containsExactly(new float[] {(float) (7 / SQRT_3_5), 0, 1, 0}, within(1e-6f));
        assertThat(test.ownerNames()).containsExactly("A", "C");
        assertThat(test.owners()).containsExactly(1, 0);
        assertThat(split.source()).isEqualTo(dir.resolve("train.csv") + " and " + dir.resolve("test.csv"));
    }

    @Test
    void theSchemaHoldsColumnsStatisticsCategoriesAndClasses() throws IOException {
        DataSchema sent = hospitals().schema();

        assertThat(sent.dataset()).isEqualTo("csv");
        CsvSchema schema = CsvSchema.of(sent);
        assertThat(schema.label()).isEqualTo("outcome");
        assertThat(schema.owner()).isEqualTo("site");
        assertThat(schema.classes()).containsExactly("no", "yes");
        assertThat(schema.features()).containsExactly(
                CsvSchema.Column.numeric("age", 3.0, SQRT_3_5),
                CsvSchema.Column.text("sex", List.of("F", "M", "X")));
        assertThat(sent.text()).isEqualTo("{\"version\":1,\"label\":\"outcome\",\"owner\":\"site\","
                + "\"classes\":[\"no\",\"yes\"],\"features\":[{\"name\":\"age\",\"kind\":\"numeric\",\"mean\":3.0,"
                + "\"std\":" + SQRT_3_5 + "},{\"name\":\"sex\",\"kind\":\"text\",\"categories\":[\"F\",\"M\",\"X\"]}]}");
        assertThat(schema.toDataSchema().digest()).isEqualTo(sent.digest());
    }

    @Test
    void aClientsOwnFileEncodedWithTheRunsSchemaGivesTheServersRows() throws IOException {
        Path file = table("own.csv", 200, 7);
        DataSplit server = CsvTable.load(file, options("y", "site", file));

        Dataset own = DatasetCatalog.loadOwn("csv:elsewhere.csv", DataOptions.NONE, file, server.schema());

        assertThat(own.features()).isEqualTo(server.train().features());
        assertThat(own.labels()).isEqualTo(server.train().labels());
        assertThat(own.owners()).isEqualTo(server.train().owners());
        assertThat(own.ownerNames()).isEqualTo(server.train().ownerNames());
        assertThat(own.classNames()).isEqualTo(server.train().classNames());
    }

    @Test
    void aClientsRowsMatchTheServersRowsOfAnInFileSplitToo() throws IOException {
        Path file = table("all.csv", 300, 11);
        DataSplit server = CsvTable.load(file, options("y", null, null));
        // The client holds exactly the server's test rows, in file order, with the header.
        List<String> lines = Files.readAllLines(file);
        Set<String> testRows = testRowsOf(file, server);
        List<String> own = new ArrayList<>(List.of(lines.get(0)));
        lines.subList(1, lines.size()).stream().filter(testRows::contains).forEach(own::add);
        Path client = write("client.csv", own.toArray(String[]::new));

        Dataset mine = CsvTable.loadOwn(client, CsvSchema.of(server.schema()));

        assertThat(mine.features()).isEqualTo(server.test().features());
        assertThat(mine.labels()).isEqualTo(server.test().labels());
    }

    /** The file's lines that make up the test split: those whose id the training split lacks. */
    private static Set<String> testRowsOf(Path file, DataSplit server) throws IOException {
        Set<String> trainIds = new HashSet<>(CsvSchema.of(server.schema()).features().get(0).categories());
        Set<String> rows = new HashSet<>();
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
            if (!trainIds.contains(line.substring(0, line.indexOf(',')))) {
                rows.add(line);
            }
        }
        assertThat(rows).hasSize(server.test().size());
        return rows;
    }

    @Test
    void splitsEachClassEightyTwentyWithAFixedSeed() throws IOException {
        Path file = table("split.csv", 250, 3);
        DataSplit split = CsvTable.load(file, DataOptions.NONE);

        int[] all = new int[2];
        for (String line : Files.readAllLines(file).subList(1, 251)) {
            all[line.endsWith(",sick") ? 1 : 0]++;
        }
        int[] train = split.train().classCounts();
        int[] test = split.test().classCounts();
        assertThat(split.train().classNames()).containsExactly("healthy", "sick");
        for (int c = 0; c < 2; c++) {
            assertThat(test[c]).isEqualTo(Math.round(0.2 * all[c]));
            assertThat(train[c] + test[c]).isEqualTo(all[c]);
        }
        assertThat(CsvTable.load(file, DataOptions.NONE).test().features()).isEqualTo(split.test().features());
        // Numeric columns are standardised with the training split: mean 0, deviation 1 there.
        float[] x = split.train().features();
        int size = split.train().featureSize();
        // age comes after the one-hot id, one feature per training row's id.
        int age = split.train().size();
        assertThat(CsvSchema.of(split.schema()).features().get(1).name()).isEqualTo("age");
        double mean = 0;
        double square = 0;
        for (int i = 0; i < split.train().size(); i++) {
            mean += x[i * size + age];
            square += x[i * size + age] * x[i * size + age];
        }
        mean /= split.train().size();
        assertThat(mean).isCloseTo(0, within(1e-5));
        assertThat(Math.sqrt(square / split.train().size() - mean * mean)).isCloseTo(1, within(1e-5));
    }

    @Test
    void categoriesComeFromTheTrainingSplitOnly() throws IOException {
        List<String> lines = new ArrayList<>(List.of("id,x,y"));
        for (int i = 0; i < 50; i++) {
            lines.add("p" + i + "," + i + "," + (i % 2 == 0 ? "a" : "b"));
        }
        Path file = write("ids.csv", lines.toArray(String[]::new));
        DataSplit split = CsvTable.load(file, DataOptions.NONE);

        CsvSchema schema = CsvSchema.of(split.schema());
        assertThat(schema.features().get(0).categories()).hasSize(40);
        assertThat(split.train().featureSize()).isEqualTo(41);
        float[] t = split.test().features();
        for (int i = 0; i < split.test().size(); i++) {
            float[] r = row(t, i, 41);
            // Every test row's id is unseen in training: all zeros, only x is set.
            assertThat(Arrays.copyOfRange(r, 0, 40)).containsOnly(0f);
        }
    }

    @Test
    void numericLookingClassesSortByValueAndOthersAsText() throws IOException {
        Path numbers = write("n.csv", "x,y", "1,10", "2,2", "3,1", "4,10", "5,2", "6,1");
        Path words = write("w.csv", "x,y", "1,b", "2,B", "3,a", "4,b", "5,B", "6,a");

        assertThat(CsvTable.load(numbers, options(null, null, numbers)).train().classNames())
                .containsExactly("1", "2", "10");
        assertThat(CsvTable.load(words, options(null, null, words)).train().classNames())
                .containsExactly("B", "a", "b");
    }

    @Test
    void aColumnThatTurnsToTextLaterIsOneHotEncodedWholly() throws IOException {
        List<String> lines = new ArrayList<>(List.of("\uFEFFdose,y"));
        for (int i = 0; i < 20; i++) {
            lines.add((i == 15 ? "NA" : String.valueOf(i % 3)) + "," + (i % 2 == 0 ? "a" : "b"));
        }
        Path file = write("dose.csv", lines.toArray(String[]::new));

        DataSplit split = CsvTable.load(file, options(null, null, file));

        assertThat(CsvSchema.of(split.schema()).features())
                .containsExactly(CsvSchema.Column.text("dose", List.of("0", "1", "2", "NA")));
        assertThat(row(split.train().features(), 15, 4)).containsExactly(0, 0, 0, 1);
        assertThat(row(split.train().features(), 4, 4)).containsExactly(0, 1, 0, 0);
    }

    @Test
    void aConstantColumnIsOnlyCentred() throws IOException {
        Path file = write("c.csv", "k,x,y", "5,1,a", "5,2,b", "5,3,a");

        DataSplit split = CsvTable.load(file, options(null, null, file));

        assertThat(CsvSchema.of(split.schema()).features().get(0)).isEqualTo(CsvSchema.Column.numeric("k", 5, 0));
        assertThat(split.train().features()).containsExactly(new float[] {
            0, (float) (-1 / Math.sqrt(2.0 / 3)), 0, 0, 0, (float) (1 / Math.sqrt(2.0 / 3))}, within(1e-6f));
    }

    @Test
    void naturalPartitionGivesOneClientPerSite() throws IOException {
        Path file = table("sites.csv", 120, 5);
        DataSplit split = CsvTable.load(file, options("y", "site", null));

        Dataset train = split.train();
        assertThat(train.ownerNames()).containsExactly("north", "south", "west");
        int[][] parts = Partitioner.parse("natural").partition(train, 3, 1);
        assertThat(parts).hasNumberOfRows(3);
        int[] owners = train.owners();
        int total = 0;
        for (int k = 0; k < 3; k++) {
            final int site = k;
            assertThat(Arrays.stream(parts[k]).map(i -> owners[i])).containsOnly(site);
            total += parts[k].length;
        }
        assertThat(total).isEqualTo(train.size());
    }

    // ------------------------------------------------------------------------ refusals

    /** Checks the refusal as the command line words it: settings as flags. */
    private static void refused(Path file, DataOptions options, String message) {
        refused(() -> CsvTable.load(file, options), message);
    }

    private static void refused(Runnable load, String message) {
        assertThatThrownBy(load::run).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).message(k -> "--" + k)).isEqualTo(message));
    }

    @Test
    void refusesMissingColumnsForLabelAndOwner() throws IOException {
        Path file = write("t.csv", "a,b,y", "1,2,p", "3,4,q");

        refused(file, options("z", null, null), file + " has no column 'z' for --label; its columns are 'a', 'b', 'y'.");
        refused(file, options(null, "site", null),
                file + " has no column 'site' for --owner; its columns are 'a', 'b', 'y'.");
        refused(file, options(null, "y", null),
                "--label and --owner both name column 'y' of " + file + "; the owner column cannot also be the label.");
    }

    @Test
    void refusesEmptyAndMalformedCellsNamingFileLineAndColumn() throws IOException {
        Path empty = write("e.csv", "a,b,y", "1,2,p", "3,,q");
        Path quotedEmpty = write("q.csv", "a,b,y", "1,2,p", "3,\"  \",q");
        Path shortRow = write("s.csv", "a,b,y", "1,2,p", "", "3,4");
        Path longRow = write("l.csv", "a,b,y", "1,2,p,9");
        Path huge = write("h.csv", "a,b,y", "1,2,p", "1e39,2,q");

        refused(empty, DataOptions.NONE, empty + " line 3, column 'b' is empty; every cell needs a value.");
        refused(quotedEmpty, DataOptions.NONE, quotedEmpty + " line 3, column 'b' is empty; every cell needs a value.");
        refused(shortRow, DataOptions.NONE,
                shortRow + " line 4 has 2 cells where the header names 3 columns: no cell for column 'y'.");
        refused(longRow, DataOptions.NONE, longRow
                + " line 2 has 4 cells where the header names 3 columns: a cell beyond the last column, 'y'.");
        refused(huge, DataOptions.NONE, huge + " line 3, column 'a' holds 1e39, which is beyond a float's range.");
    }

    @Test
    void refusesBrokenQuotingAndText() throws IOException {
        Path quote = write("quote.csv", "a,b,y", "1,2,p", "3,\"4\"x,q");
        Path open = write("open.csv", "a,b,y", "1,2,p", "3,\"4,q");
        Path latin = dir.resolve("latin.csv");
        Files.write(latin, new byte[] {'a', ',', 'y', '\n', 'c', (byte) 0xe9, ',', 'p', '\n'});

        refused(open, DataOptions.NONE, open + " line 3 opens a quoted cell that the file never closes.");
        refused(quote, DataOptions.NONE, quote + " line 3 has text after a quoted cell's closing quote; write a quote"
                + " inside a quoted cell as \"\".");
        refused(latin, DataOptions.NONE, latin + " is not UTF-8 text.");
    }

    @Test
    void refusesAFileWithoutHeaderOrRows() throws IOException {
        Path nothing = write("n.csv");
        Files.writeString(nothing, "");
        Path numbers = write("h.csv", "1,2,3", "4,5,6");
        Path unnamed = write("u.csv", "a,,y", "1,2,3");
        Path twice = write("d.csv", "a,a,y", "1,2,3");
        Path headerOnly = write("o.csv", "a,b,y");
        Path missing = dir.resolve("missing.csv");

        refused(nothing, DataOptions.NONE,
                nothing + " is empty, but it must start with a header row naming the columns.");
        refused(numbers, DataOptions.NONE,
                numbers + " line 1 holds only numbers, but it must be a header row naming the columns.");
        refused(unnamed, DataOptions.NONE,
                unnamed + " line 1 leaves column 2 without a name; the header row must name every column.");
        refused(twice, DataOptions.NONE, twice + " line 1 names column 'a' twice.");
        refused(headerOnly, DataOptions.NONE, headerOnly + " has a header row but no data rows.");
        refused(missing, DataOptions.NONE, "csv file " + missing + " does not exist.");
    }

    @Test
    void refusesLabelsThatAreNoClasses() throws IOException {
        Path one = write("one.csv", "a,y", "1,p", "2,p");
        Path onlyLabel = write("only.csv", "site,y", "x,p", "y,q");
        Path tiny = write("tiny.csv", "a,y", "1,p", "2,q");
        List<String> lines = new ArrayList<>(List.of("a,price"));
        for (int i = 0; i <= CsvTable.MAX_CLASSES; i++) {
            lines.add(i + "," + i * 1.5);
        }
        Path regression = write("r.csv", lines.toArray(String[]::new));

        refused(one, DataOptions.NONE,
                one + " column 'y', the label, holds only one class ('p'); a label needs at least two.");
        refused(onlyLabel, options(null, "site", onlyLabel),
                onlyLabel + " has no feature columns, only the label 'y' and the owner 'site'.");
        refused(tiny, DataOptions.NONE, tiny + " has too few rows for a test split: a stratified 20% of each class"
                + " holds none of its 2 rows; add rows or give --test-file.");
        refused(regression, DataOptions.NONE, regression + " column 'price', the label, has more than 1000 distinct"
                + " values; a label column must hold classes.");
    }

    @Test
    void refusesTextColumnsWithTooManyCategories() throws IOException {
        List<String> ids = new ArrayList<>(List.of("id,y"));
        List<String> numbers = new ArrayList<>(List.of("x,y"));
        for (int i = 0; i <= CsvTable.MAX_CATEGORIES; i++) {
            ids.add("p" + i + "," + (i % 2));
            numbers.add((i == 7 ? "n/a" : String.valueOf(i)) + "," + (i % 2));
        }
        Path idFile = write("ids.csv", ids.toArray(String[]::new));
        Path numberFile = write("numbers.csv", numbers.toArray(String[]::new));

        refused(idFile, DataOptions.NONE, idFile + " column 'id' is text with more than 1000 distinct values, too many"
                + " to one-hot encode; drop the column.");
        refused(numberFile, DataOptions.NONE, numberFile + " column 'x' is read as text, since line 9 holds 'n/a', not"
                + " a number, and has more than 1000 distinct values, too many to one-hot encode; make every cell a"
                + " number or drop the column.");
    }

    @Test
    void refusesATestFileThatDoesNotMatchTheTrainingFile() throws IOException {
        Path train = write("train.csv", "a,s,y", "1,u,p", "2,v,q");
        Path newClass = write("c.csv", "a,s,y", "1,u,p", "2,u,r");
        Path text = write("t.csv", "a,s,y", "one,u,p");
        Path columns = write("k.csv", "a,z,y", "1,u,p");

        String training = "training file " + train;
        refused(train, options(null, null, newClass), newClass + " line 3, column 'y' holds class 'r', which "
                + training + " does not have (its classes are p, q).");
        refused(train, options(null, null, text),
                text + " line 2, column 'a' holds 'one', but " + training + " has numbers in that column.");
        refused(train, options(null, null, columns), columns + " does not have the columns of " + training
                + ": it lacks 's' and has 'z', which " + training + " does not (those columns are 'a', 's', 'y').");
    }

    @Test
    void refusesAClientFileThatDoesNotMatchTheRunsSchema() throws IOException {
        Path train = write("train.csv", "a,s,site,y", "1,u,h1,p", "2,v,h2,q");
        DataSchema schema = CsvTable.load(train, options(null, "site", train)).schema();
        Path noOwner = write("own.csv", "a,s,y,extra", "1,u,p,0");

        assertThatThrownBy(() -> DatasetCatalog.loadOwn("csv:x.csv", DataOptions.NONE, noOwner, schema))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(noOwner + " does not have the columns of the run's data: it lacks 'site' and has 'extra',"
                        + " which the run's data does not (those columns are 'a', 's', 'y', 'site').");
        assertThatThrownBy(() -> DatasetCatalog.loadOwn("csv:x.csv", DataOptions.NONE, noOwner,
                new DataSchema("fortunes", "{}")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the run's schema describes data set fortunes, not a csv table");
    }

    @Test
    void theCatalogReadsCsvSpecsAndRefusesOneWithoutAFile() throws IOException {
        Path file = table("spec.csv", 50, 2);

        DataSplit split = DatasetCatalog.load("csv:" + file, options("y", null, null), null, Map.of());

        assertThat(split.train().size() + split.test().size()).isEqualTo(50);
        refused(() -> DatasetCatalog.load("csv", DataOptions.NONE, null, Map.of()),
                "data set csv needs the table's file after a colon, such as --dataset csv:patients.csv.");
        assertThatThrownBy(() -> DatasetCatalog.load("csv:" + file, new DataOptions(null, null, null, null, 3),
                null, Map.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("channels does not apply to data set csv");
    }

    @Test
    void numbersAreDecimalOnly() {
        assertThat(List.of("1", "-2", "+3.5", ".5", "5.", "1e5", "1E-3", "0.0")).allMatch(CsvTable::isNumber);
        assertThat(List.of("", "-", ".", "e5", "1e", "NaN", "Infinity", "0x10", "1f", "1,5", "1 2"))
                .noneMatch(CsvTable::isNumber);
    }

    // ------------------------------------------------------------------------ helpers

    /**
     * Writes a table of {@code rows} rows: id (text, unique), age and dose (numbers), sex (text),
     * site (north, south, west) and y (healthy or sick, about 40% sick).
     */
    private Path table(String name, int rows, long seed) throws IOException {
        java.util.Random random = new java.util.Random(seed);
        List<String> lines = new ArrayList<>(List.of("id,age,sex,dose,site,y"));
        String[] sites = {"north", "south", "west"};
        for (int i = 0; i < rows; i++) {
            lines.add("r" + i + "," + (20 + random.nextInt(60)) + "," + (random.nextBoolean() ? "F" : "M") + ","
                    + Math.round(random.nextGaussian() * 1000) / 100.0 + "," + sites[i % 3] + ","
                    + (random.nextDouble() < 0.4 ? "sick" : "healthy"));
        }
        return write(name, lines.toArray(String[]::new));
    }

    private static float[] row(float[] features, int i, int size) {
        return Arrays.copyOfRange(features, i * size, (i + 1) * size);
    }
}
