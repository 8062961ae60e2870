package dev.splitfed.internal.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.splitfed.InvalidInputException;
import dev.splitfed.data.DataOptions;
import dev.splitfed.data.DataSchema;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.data.ImageSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LEAF's JSON format: both shapes parsed and encoded as worked out by hand, one owner per user,
 * the schema and a client's own file, and every refusal of a malformed file.
 */
class LeafTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /**
     * Writes a LEAF file: {@code users} in order, each with its {@code x} and {@code y}.
     *
     * @param users user name to {x list, y list}
     */
    static Path leafFile(Path file, Map<String, List<List<?>>> users) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode names = root.putArray("users");
        ArrayNode counts = root.putArray("num_samples");
        ObjectNode data = root.putObject("user_data");
        users.forEach((name, xy) -> {
            names.add(name);
            counts.add(xy.get(0).size());
            ObjectNode entry = data.putObject(name);
            entry.set("x", JSON.valueToTree(xy.get(0)));
            entry.set("y", JSON.valueToTree(xy.get(1)));
        });
        root.putArray("hierarchies");
        Files.createDirectories(file.getParent());
        JSON.writeValue(file.toFile(), root);
        return file;
    }

    static Map<String, List<List<?>>> users(Object... nameXy) {
        Map<String, List<List<?>>> users = new LinkedHashMap<>();
        for (int i = 0; i < nameXy.length; i += 3) {
            users.put((String) nameXy[i], List.of((List<?>) nameXy[i + 1], (List<?>) nameXy[i + 2]));
        }
        return users;
    }

    /** A FEMNIST-like folder: 2x2 pixel vectors; train users f1 (2 samples, file a) and f2 (1, file b). */
    private Path pixels() throws IOException {
        Path dir = tmp.resolve("femnist");
        leafFile(dir.resolve("train/a.json"), users(
                "f1", List.of(List.of(0.0, 0.25, 0.5, 1.0), List.of(1, 1, 1, 1)), List.of(3, 0)));
        leafFile(dir.resolve("train/b.json"), users(
                "f2", List.of(List.of(0.5, 0.5, 0, 0)), List.of(1)));
        leafFile(dir.resolve("test/a.json"), users(
                "f1", List.of(List.of(0.125, 0, 0, 0)), List.of(4),
                "f2", List.of(List.of(0, 0, 0, 1)), List.of(2)));
        return dir;
    }

    /** A Shakespeare-like folder: 5-character texts. */
    private Path characters() throws IOException {
        Path dir = tmp.resolve("shakespeare");
        leafFile(dir.resolve("train/all.json"), users(
                "ROMEO", List.of("abcab"), List.of("c"),
                "JULIET", List.of("cab a", "bbbbb"), List.of("b", "a")));
        leafFile(dir.resolve("test/all.json"), users(
                "ROMEO", List.of("abzab", "aaaaa"), List.of("c", "z")));
        return dir;
    }

    @Test
    void pixelVectorsAreKeptAsTheyAreWithOneOwnerPerUser() throws IOException {
        Path dir = pixels();
        DataSplit split = Leaf.load(dir, DataOptions.NONE);

        Dataset train = split.train();
        // 4 values: a square 2x2 grey image; classes 0 to 4, the test split's largest y.
        assertThat(train.sampleShape()).containsExactly(1, 2, 2);
        assertThat(train.classNames()).containsExactly("0", "1", "2", "3", "4");
        assertThat(train.features()).containsExactly(0f, .25f, .5f, 1f, 1f, 1f, 1f, 1f, .5f, .5f, 0f, 0f);
        assertThat(train.labels()).containsExactly(3, 0, 1);
        assertThat(train.ownerNames()).containsExactly("f1", "f2");
        assertThat(train.owners()).containsExactly(0, 0, 1);
        assertThat(split.test().features()).containsExactly(.125f, 0f, 0f, 0f, 0f, 0f, 0f, 1f);
        assertThat(split.test().labels()).containsExactly(4, 2);

        int[][] parts = new NaturalPartitioner().partition(train, 2, 7);
        assertThat(parts[0]).containsExactly(0, 1);
        assertThat(parts[1]).containsExactly(2);

        JsonNode schema = JSON.readTree(split.schema().text());
        assertThat(schema.toString()).isEqualTo("{\"kind\":\"pixels\",\"shape\":[1,2,2],\"classes\":5}");
        assertThat(Leaf.naturalModel(dir)).isEqualTo("lenet5");
    }

    @Test
    void imageSizeReshapesAndOtherLengthsAreVectors() throws IOException {
        Path dir = pixels();
        assertThat(Leaf.load(dir, new DataOptions(null, null, null, new ImageSize(1, 4), 0)).train().sampleShape())
                .containsExactly(1, 1, 4);
        assertThatThrownBy(() -> Leaf.load(dir, new DataOptions(null, null, null, new ImageSize(3, 3), 0)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("image-size 3x3 holds 9 pixels, but x[0] of user f1 in " + dir.resolve("train/a.json")
                        + " has 4 values.");

        Path vectors = tmp.resolve("vectors");
        leafFile(vectors.resolve("train/a.json"), users("u", List.of(List.of(1, 2, 3)), List.of(0)));
        leafFile(vectors.resolve("test/a.json"), users("u", List.of(List.of(4, 5, 6)), List.of(1)));
        assertThat(Leaf.load(vectors, DataOptions.NONE).train().sampleShape()).containsExactly(3);
    }

    @Test
    void textsBecomeCharacterIndicesOfTheTrainingVocabulary() throws IOException {
        Path dir = characters();
        DataSplit split = Leaf.load(dir, DataOptions.NONE);

        Dataset train = split.train();
        // Training characters in code-point order after the reserved entries: ' ' 3, a 4, b 5, c 6.
        assertThat(train.classNames()).containsExactly("<pad>", "<unk>", "<s>", " ", "a", "b", "c");
        assertThat(train.kind()).isEqualTo(Dataset.Kind.TOKENS);
        assertThat(train.sampleShape()).containsExactly(5);
        assertThat(train.features()).containsExactly(4, 5, 6, 4, 5, 6, 4, 5, 3, 4, 5, 5, 5, 5, 5);
        assertThat(train.labels()).containsExactly(6, 5, 4);
        assertThat(train.ownerNames()).containsExactly("ROMEO", "JULIET");
        assertThat(train.owners()).containsExactly(0, 1, 1);
        // Test: z is unknown (1) in a text; a sample whose y is z is dropped.
        assertThat(split.test().features()).containsExactly(4, 5, 1, 4, 5);
        assertThat(split.test().labels()).containsExactly(6);

        assertThat(split.schema().text()).isEqualTo("{\"kind\":\"characters\",\"window\":5,"
                + "\"vocabulary\":[\"<pad>\",\"<unk>\",\"<s>\",\" \",\"a\",\"b\",\"c\"]}");
        assertThat(Leaf.load(dir, DataOptions.NONE).schema().digest()).isEqualTo(split.schema().digest());
        assertThat(Leaf.naturalModel(dir)).isEqualTo("next-word");
        assertThatThrownBy(() -> Leaf.load(dir, new DataOptions(null, null, null, new ImageSize(8, 10), 0)))
                .hasMessage("image-size applies to LEAF's pixel vectors, but " + dir.resolve("train/all.json")
                        + " holds texts.");
        assertThat(DatasetCatalog.naturalModel("leaf:" + dir)).isEqualTo("next-word");
        assertThat(DatasetCatalog.naturalModel("leaf:" + pixels())).isEqualTo("lenet5");
        assertThat(DatasetCatalog.naturalPartition("leaf:" + dir)).isEqualTo("natural");
        assertThat(DatasetCatalog.load("leaf:" + dir, DataOptions.NONE, null, Map.of()).train().size()).isEqualTo(3);
        assertThatThrownBy(() -> DatasetCatalog.load("leaf:" + dir, new DataOptions(null, null, null, null, 3), null,
                Map.of())).hasMessageStartingWith("channels does not apply to data set leaf");
    }

    @Test
    void aClientsOwnFileIsReadAsTheServerReadIt() throws IOException {
        Path dir = pixels();
        DataSplit run = Leaf.load(dir, DataOptions.NONE);
        Dataset own = Leaf.loadOwn(dir.resolve("train/a.json"), run.schema());
        assertThat(own.features()).containsExactly(java.util.Arrays.copyOf(run.train().features(), 8));
        assertThat(own.labels()).containsExactly(3, 0);
        assertThat(own.classNames()).isEqualTo(run.train().classNames());
        assertThat(Leaf.loadOwn(dir.resolve("train"), run.schema()).features()).containsExactly(run.train().features());

        Path chars = characters();
        DataSplit text = Leaf.load(chars, DataOptions.NONE);
        assertThat(Leaf.loadOwn(chars.resolve("train/all.json"), text.schema()).features())
                .containsExactly(text.train().features());
        // A client's unknown character is <unk>, a sample with an unknown target dropped, as in the test split.
        assertThat(Leaf.loadOwn(chars.resolve("test/all.json"), text.schema()).features())
                .containsExactly(text.test().features());
    }

    @Test
    void aClientFileThatDoesNotMatchTheRunIsRefused() throws IOException {
        DataSchema pixels = Leaf.load(pixels(), DataOptions.NONE).schema();
        DataSchema chars = Leaf.load(characters(), DataOptions.NONE).schema();
        Path text = tmp.resolve("shakespeare/train/all.json");
        assertThatThrownBy(() -> Leaf.loadOwn(text, pixels)).isInstanceOf(InvalidInputException.class)
                .hasMessage(text + " holds texts, but the run's LEAF data are pixel vectors.");
        Path femnist = tmp.resolve("femnist/train/a.json");
        assertThatThrownBy(() -> Leaf.loadOwn(femnist, chars))
                .hasMessage(femnist + " holds pixel vectors, but the run's LEAF data are texts.");

        Path other = leafFile(tmp.resolve("own.json"), users("me", List.of(List.of(1, 2, 3, 4, 5)), List.of(0)));
        assertThatThrownBy(() -> Leaf.loadOwn(other, pixels)).hasMessage("x[0] of user me in " + other
                + " has 5 values, but the run's samples are 2x2 images (4 values).");
        Path classes = leafFile(tmp.resolve("own2.json"), users("me", List.of(List.of(1, 2, 3, 4)), List.of(5)));
        assertThatThrownBy(() -> Leaf.loadOwn(classes, pixels)).hasMessage("y[0] of user me in " + classes
                + " is class 5, but the run has 5 classes (0 to 4).");
        Path longer = leafFile(tmp.resolve("own3.json"), users("me", List.of("abcabc"), List.of("a")));
        assertThatThrownBy(() -> Leaf.loadOwn(longer, chars)).hasMessage("x[0] of user me in " + longer
                + " is a text of 6 characters, but the data set's texts have 5.");
        Path unknown = leafFile(tmp.resolve("own4.json"), users("me", List.of("abcab"), List.of("z")));
        assertThatThrownBy(() -> Leaf.loadOwn(unknown, chars))
                .hasMessage(unknown + " holds no sample whose y is a character of the run's vocabulary.");
        assertThatThrownBy(() -> Leaf.loadOwn(unknown, new DataSchema("leaf", "{\"kind\":\"sound\"}")))
                .hasMessage("the run's data schema does not describe LEAF data (pixels with a shape and classes, or "
                        + "characters with a window and a vocabulary).");
    }

    private void refused(String content, String message) throws IOException {
        Path dir = tmp.resolve("bad" + System.nanoTime());
        Path file = dir.resolve("train/a.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        leafFile(dir.resolve("test/a.json"), users("u", List.of(List.of(0, 0, 0, 0)), List.of(0)));
        assertThatThrownBy(() -> Leaf.load(dir, DataOptions.NONE)).isInstanceOf(InvalidInputException.class)
                .hasMessage(message.replace("%F", file.toString()));
    }

    @Test
    void malformedFilesAreRefusedNamingTheFileAndWhatIsWrong() throws IOException {
        refused("{\"users\": [", "%F is not valid JSON at line 1, column 12: Unexpected end-of-input: expected close "
                + "marker for Array.");
        refused("[]", "%F is not a LEAF file: it holds no object with users, num_samples and user_data.");
        refused("{\"num_samples\": [], \"user_data\": {}}", "%F is not a LEAF file: it has no users list.");
        refused("{\"users\": [], \"user_data\": {}}", "%F is not a LEAF file: it has no num_samples list.");
        refused("{\"users\": [], \"num_samples\": []}", "%F is not a LEAF file: it has no user_data object.");
        refused("{\"users\": [\"u\"], \"num_samples\": [], \"user_data\": {}}", "%F lists 1 users but 0 num_samples.");
        refused("{\"users\": [3], \"num_samples\": [1], \"user_data\": {}}", "%F lists 3 among its users, not a user name.");
        refused("{\"users\": [\"u\", \"u\"], \"num_samples\": [1, 1], \"user_data\": {\"u\": {\"x\": [[0, 0, 0, 0]], "
                + "\"y\": [0]}}}", "%F lists user u twice.");
        refused("{\"users\": [\"u\"], \"num_samples\": [1], \"user_data\": {}}",
                "%F lists user u, but its user_data has no entry for it.");
        refused("{\"users\": [\"u\"], \"num_samples\": [1], \"user_data\": {\"u\": {\"y\": [1]}}}",
                "user u in %F has no x list.");
        refused("{\"users\": [\"u\"], \"num_samples\": [1], \"user_data\": {\"u\": {\"x\": [[1]], \"y\": [1, 2]}}}",
                "user u in %F has 1 x but 2 y.");
        refused("{\"users\": [\"u\"], \"num_samples\": [2], \"user_data\": {\"u\": {\"x\": [[1]], \"y\": [1]}}}",
                "%F gives user u 2 samples in num_samples, but its user_data holds 1.");
        String pixels = "{\"users\": [\"u\"], \"num_samples\": [2], \"user_data\": {\"u\": {\"x\": [[0, 0, 0, 0], X], "
                + "\"y\": [0, Y]}}}";
        refused(pixels.replace("X", "[0, 0, 0]").replace("Y", "1"),
                "x[1] of user u in %F has 3 values, but the data set's samples are 2x2 images (4 values).");
        refused(pixels.replace("X", "[0, 0, \"a\", 0]").replace("Y", "1"), "x[1] of user u in %F holds \"a\", not a number.");
        refused(pixels.replace("X", "[0, 0, 0, 0]").replace("Y", "1.5"),
                "y[1] of user u in %F is 1.5, not a class number (0, 1, 2, ...).");
        refused(pixels.replace("X", "[0, 0, 0, 0]").replace("Y", "-1"),
                "y[1] of user u in %F is -1, not a class number (0, 1, 2, ...).");
        refused(pixels.replace("X", "\"abcd\"").replace("Y", "1"),
                "x[1] of user u in %F is not a vector of pixels, as the data set's samples are.");
        String texts = "{\"users\": [\"u\"], \"num_samples\": [2], \"user_data\": {\"u\": {\"x\": [\"abc\", X], "
                + "\"y\": [\"a\", Y]}}}";
        refused(texts.replace("X", "\"ab\"").replace("Y", "\"a\""),
                "x[1] of user u in %F is a text of 2 characters, but the data set's texts have 3.");
        refused(texts.replace("X", "\"abc\"").replace("Y", "\"ab\""), "y[1] of user u in %F is \"ab\", not one character.");
        refused(texts.replace("X", "[1, 2, 3]").replace("Y", "\"a\""),
                "x[1] of user u in %F is not a text, as the data set's samples are.");
        refused("{\"users\": [\"u\"], \"num_samples\": [1], \"user_data\": {\"u\": {\"x\": [\"1.jpg\"], \"y\": [1]}}}",
                "x[0] of user u in %F is a text but its y is 1, not a character (x naming image files, as in LEAF's "
                        + "CelebA, is not read; leaf reads pixel vectors as in FEMNIST and texts as in Shakespeare).");
        refused("{\"users\": [\"u\"], \"num_samples\": [1], \"user_data\": {\"u\": {\"x\": [3], \"y\": [1]}}}",
                "x[0] of user u in %F is neither a vector of pixels nor a text.");
    }

    @Test
    void missingFoldersAreRefused() throws IOException {
        Path none = tmp.resolve("none");
        assertThatThrownBy(() -> Leaf.load(none, DataOptions.NONE)).hasMessage("dataset leaf:" + none
                + " names no folder.");
        Path noTest = tmp.resolve("no-test");
        leafFile(noTest.resolve("train/a.json"), users("u", List.of(List.of(0)), List.of(0)));
        assertThatThrownBy(() -> Leaf.load(noTest, DataOptions.NONE)).hasMessage(noTest + " has no test folder: "
                + "leaf:DIR reads LEAF's JSON files from DIR/train/ and DIR/test/.");
        Files.createDirectories(noTest.resolve("test"));
        assertThatThrownBy(() -> Leaf.load(noTest, DataOptions.NONE))
                .hasMessage(noTest.resolve("test") + " holds no LEAF files (*.json).");
        assertThatThrownBy(() -> DatasetCatalog.load("leaf", DataOptions.NONE, null, Map.of()))
                .hasMessageStartingWith("data set leaf needs a folder: dataset leaf:DIR");
    }
}
