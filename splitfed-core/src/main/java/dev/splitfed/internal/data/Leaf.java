package dev.splitfed.internal.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.splitfed.InvalidInputException;
import dev.splitfed.data.DataOptions;
import dev.splitfed.data.DataSchema;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import dev.splitfed.data.ImageSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The {@code leaf} data set: a federated benchmark in the JSON format of LEAF (Caldas et al. 2018,
 * "LEAF: A Benchmark for Federated Settings"), as {@code --dataset leaf:DIR} names it.
 *
 * <p><b>Files.</b> Every {@code *.json} file of {@code DIR/train} and of {@code DIR/test}, in name
 * order, each an object with {@code users} (names), {@code num_samples} (one count per user) and
 * {@code user_data} ({@code {"user": {"x": [...], "y": [...]}}}); other members (LEAF's
 * {@code hierarchies}) are ignored. Each user is an owner, so {@code --partition natural} (the
 * default) gives one client per LEAF user; a user found in several files is one owner.
 *
 * <p><b>Two shapes</b>, told apart by the first training sample:
 *
 * <ul>
 *   <li><b>pixels</b> (FEMNIST): {@code x} is a vector of numbers, kept as they are (LEAF already
 *       scales them to {@code [0, 1]}), and {@code y} a class number; the classes are {@code 0} to
 *       the largest {@code y} of either split, named by their numbers. A sample is one grey image of
 *       {@code --image-size HxW} (whose {@code H * W} must be the vector's length), or, without it,
 *       a square image when the length is a square number ({@code 784} is {@code 28x28}) and else a
 *       plain vector (for {@code --model mlp}). The model is {@code lenet5} unless the run names another.
 *   <li><b>characters</b> (Shakespeare): {@code x} is a text (LEAF's are 80 characters, all of one
 *       length) and {@code y} the character that follows it: next-character prediction with the
 *       {@code next-word} model over a vocabulary of characters. The vocabulary is
 *       {@link Vocabulary}'s three reserved entries then every character (Unicode code point) of
 *       the training split's {@code x} and {@code y}, in code-point order. A character of the test
 *       split (or of a client's own file) outside it is read as {@value Vocabulary#UNKNOWN} in a
 *       text, and a sample whose {@code y} is outside it is dropped: a model cannot predict a
 *       character it does not know (accuracy is over known characters, as {@link Fortunes} does for words).
 * </ul>
 *
 * <p><b>Schema.</b> The {@link DataSchema} (JSON) holds the shape: {@code pixels} with the sample
 * shape and the number of classes, or {@code characters} with the window length and the
 * vocabulary. A deployed client reads its own LEAF file (one or more users) with it ({@link #loadOwn}).
 */
public final class Leaf {

    /** The name of the data set on the command line. */
    public static final String NAME = "leaf";
    /** The most classes a pixel set may have: a {@code y} above this is refused. */
    public static final int MAX_CLASSES = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Leaf() {}

    /** One user of a LEAF file: its samples' {@code x} and {@code y}. */
    record User(Path file, String name, ArrayNode x, ArrayNode y) {}

    /** How samples are encoded: pixels of a shape with a number of classes, or characters of a vocabulary. */
    private sealed interface Form permits Pixels, Characters {}

    /** Pixel vectors: {@code shape}'s product values each, classes {@code 0} to {@code classes - 1}. */
    private record Pixels(int[] shape, int classes) implements Form {
        int size() {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        String describe() {
            return shape.length == 1 ? "vectors of " + shape[0] + " values"
                    : shape[1] + "x" + shape[2] + " images (" + size() + " values)";
        }
    }

    /** Texts of {@code window} characters, each followed by the character to predict. */
    private record Characters(int window, Vocabulary vocabulary) implements Form {}

    /**
     * Loads {@code dir/train/*.json} and {@code dir/test/*.json}.
     *
     * @param dir the folder
     * @param options the run's {@code image-size}; others are ignored
     * @return the splits, the users as owners, and a schema
     * @throws InvalidInputException if a file is missing, is not LEAF's format, or its samples do not agree
     */
    public static DataSplit load(Path dir, DataOptions options) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("{dataset} leaf:" + dir + " names no folder.");
        }
        List<User> train = users(jsonFiles(dir, "train"));
        List<User> test = users(jsonFiles(dir, "test"));
        User firstUser = train.stream().filter(u -> u.x().size() > 0).findFirst().orElseThrow(
                () -> new InvalidInputException(dir.resolve("train") + " holds LEAF files without samples."));
        JsonNode firstX = firstUser.x().get(0);
        Form form;
        if (isText(firstUser, 0)) {
            if (options.imageSize() != null) {
                throw new InvalidInputException("{image-size} applies to LEAF's pixel vectors, but " + firstUser.file()
                        + " holds texts.");
            }
            int window = firstX.textValue().codePointCount(0, firstX.textValue().length());
            TreeSet<Integer> characters = new TreeSet<>();
            for (User u : train) {
                for (int i = 0; i < u.x().size(); i++) {
                    text(u, i, window).codePoints().forEach(characters::add);
                    characters.add(target(u, i));
                }
            }
            List<String> words = new ArrayList<>(List.of(Vocabulary.PAD, Vocabulary.UNKNOWN, Vocabulary.START));
            characters.forEach(c -> words.add(Character.toString(c)));
            form = new Characters(window, Vocabulary.of(words));
        } else {
            int length = firstX.isArray() ? firstX.size() : -1;
            if (length < 1) {
                throw new InvalidInputException("x[0] of user " + firstUser.name() + " in " + firstUser.file()
                        + " is neither a vector of pixels nor a text.");
            }
            int[] shape = shape(length, options.imageSize(), firstUser);
            int classes = 0;
            for (List<User> split : List.of(train, test)) {
                for (User u : split) {
                    for (int i = 0; i < u.y().size(); i++) {
                        classes = Math.max(classes, classOf(u, i, MAX_CLASSES) + 1);
                    }
                }
            }
            form = new Pixels(shape, classes);
        }
        Dataset trainSet = encode(train, form, false);
        Dataset testSet = encode(test, form, false);
        if (trainSet.size() == 0) {
            throw new InvalidInputException(dir.resolve("train") + " holds no samples.");
        }
        if (testSet.size() == 0) {
            throw new InvalidInputException(dir.resolve("test") + " holds no samples"
                    + (form instanceof Characters ? " whose y is a character of the training split." : "."));
        }
        return new DataSplit(trainSet, testSet, dir.toString(), false, new DataSchema(NAME, schemaText(form)));
    }

    /**
     * Reads a deployed client's own LEAF file (or every {@code *.json} file of a folder): one or
     * more users, encoded with the run's shape or vocabulary; all of it is for training.
     *
     * @param path the client's file or folder
     * @param schema the run's schema
     * @return the client's samples, its users as owners
     * @throws InvalidInputException if the file is not LEAF's format or does not match the run
     */
    public static Dataset loadOwn(Path path, DataSchema schema) {
        Form form = parseSchema(schema);
        List<Path> files;
        if (Files.isDirectory(path)) {
            files = jsonFiles(path);
            if (files.isEmpty()) {
                throw new InvalidInputException(path + " holds no LEAF files (*.json).");
            }
        } else if (Files.isRegularFile(path)) {
            files = List.of(path);
        } else {
            throw new InvalidInputException(path + " is neither a LEAF file nor a folder of them.");
        }
        List<User> users = users(files);
        for (User u : users) {
            if (u.x().size() > 0) {
                boolean text = isText(u, 0);
                if (text != form instanceof Characters) {
                    throw new InvalidInputException(u.file() + " holds " + (text ? "texts" : "pixel vectors")
                            + ", but the run's LEAF data are " + (text ? "pixel vectors" : "texts") + ".");
                }
                break;
            }
        }
        Dataset own = encode(users, form, true);
        if (own.size() == 0) {
            throw new InvalidInputException(path + " holds no sample"
                    + (form instanceof Characters ? " whose y is a character of the run's vocabulary." : "."));
        }
        return own;
    }

    /**
     * Returns the model a LEAF folder is trained with: {@code next-word} when its first training
     * sample's {@code x} is a text, {@code lenet5} otherwise (also when the folder cannot be read:
     * loading it then says why). Reads only as far as that sample.
     *
     * @param dir the folder
     * @return the model name
     */
    public static String naturalModel(Path dir) {
        try {
            List<Path> files = jsonFiles(dir.resolve("train"));
            for (Path file : files) {
                try (JsonParser parser = JSON.getFactory().createParser(file.toFile())) {
                    JsonToken token;
                    while ((token = parser.nextToken()) != null) {
                        if (token == JsonToken.FIELD_NAME && parser.getCurrentName().equals("x")
                                && parser.getParsingContext().getParent() != null
                                && parser.getParsingContext().getParent().getParent() != null
                                && "user_data".equals(parser.getParsingContext().getParent().getParent().getCurrentName())
                                && parser.nextToken() == JsonToken.START_ARRAY) {
                            JsonToken first = parser.nextToken();
                            if (first == JsonToken.VALUE_STRING) {
                                return "next-word";
                            }
                            if (first == JsonToken.START_ARRAY) {
                                return "lenet5";
                            }
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Loading the folder words the problem.
        }
        return "lenet5";
    }

    private static List<Path> jsonFiles(Path dir, String split) {
        Path folder = dir.resolve(split);
        if (!Files.isDirectory(folder)) {
            throw new InvalidInputException(dir + " has no " + split + " folder: leaf:DIR reads LEAF's JSON files from "
                    + "DIR/train/ and DIR/test/.");
        }
        List<Path> files = jsonFiles(folder);
        if (files.isEmpty()) {
            throw new InvalidInputException(folder + " holds no LEAF files (*.json).");
        }
        return files;
    }

    private static List<Path> jsonFiles(Path folder) {
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(".") && p.getFileName().toString().endsWith(".json"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new InvalidInputException("cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    private static List<User> users(List<Path> files) {
        List<User> users = new ArrayList<>();
        for (Path file : files) {
            users.addAll(read(file));
        }
        return users;
    }

    /**
     * Reads one LEAF file's users, checking its structure: every listed user has an entry in
     * {@code user_data} with as many {@code x} as {@code y} as {@code num_samples} says.
     *
     * @param file the file
     * @return its users in the order of {@code users}
     * @throws InvalidInputException naming the file and what is wrong
     */
    static List<User> read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            // Jackson's own message, without the source description it appends in parentheses.
            String why = e.getOriginalMessage().lines().findFirst().orElse("").replaceFirst(" \\(.*", "");
            throw new InvalidInputException(file + " is not valid JSON"
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() : "") + ": " + why + ".", e);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(file + " is not a LEAF file: it holds no object with users, num_samples "
                    + "and user_data.");
        }
        JsonNode names = root.get("users");
        JsonNode counts = root.get("num_samples");
        JsonNode data = root.get("user_data");
        if (names == null || !names.isArray()) {
            throw new InvalidInputException(file + " is not a LEAF file: it has no users list.");
        }
        if (counts == null || !counts.isArray()) {
            throw new InvalidInputException(file + " is not a LEAF file: it has no num_samples list.");
        }
        if (data == null || !data.isObject()) {
            throw new InvalidInputException(file + " is not a LEAF file: it has no user_data object.");
        }
        if (names.size() != counts.size()) {
            throw new InvalidInputException(file + " lists " + names.size() + " users but " + counts.size()
                    + " num_samples.");
        }
        List<User> users = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int u = 0; u < names.size(); u++) {
            JsonNode name = names.get(u);
            if (!name.isTextual()) {
                throw new InvalidInputException(file + " lists " + name + " among its users, not a user name.");
            }
            String user = name.textValue();
            if (!seen.add(user)) {
                throw new InvalidInputException(file + " lists user " + user + " twice.");
            }
            JsonNode entry = data.get(user);
            if (entry == null || !entry.isObject()) {
                throw new InvalidInputException(file + " lists user " + user + ", but its user_data has no entry for it.");
            }
            JsonNode x = entry.get("x");
            JsonNode y = entry.get("y");
            if (x == null || !x.isArray() || y == null || !y.isArray()) {
                throw new InvalidInputException("user " + user + " in " + file + " has no " + (x == null || !x.isArray()
                        ? "x" : "y") + " list.");
            }
            if (x.size() != y.size()) {
                throw new InvalidInputException("user " + user + " in " + file + " has " + x.size() + " x but "
                        + y.size() + " y.");
            }
            JsonNode count = counts.get(u);
            if (!count.canConvertToInt() || !count.isIntegralNumber() || count.intValue() != x.size()) {
                throw new InvalidInputException(file + " gives user " + user + " " + count + " samples in num_samples, "
                        + "but its user_data holds " + x.size() + ".");
            }
            users.add(new User(file, user, (ArrayNode) x, (ArrayNode) y));
        }
        return users;
    }

    private static boolean isText(User u, int i) {
        JsonNode x = u.x().get(i);
        if (!x.isTextual()) {
            return false;
        }
        if (!u.y().get(i).isTextual()) {
            throw new InvalidInputException("x[" + i + "] of user " + u.name() + " in " + u.file() + " is a text but its y "
                    + "is " + u.y().get(i) + ", not a character (x naming image files, as in LEAF's CelebA, is not "
                    + "read; leaf reads pixel vectors as in FEMNIST and texts as in Shakespeare).");
        }
        return true;
    }

    private static int[] shape(int length, ImageSize size, User first) {
        if (size != null) {
            if ((long) size.height() * size.width() != length) {
                throw new InvalidInputException("{image-size} " + size + " holds " + size.height() * size.width()
                        + " pixels, but x[0] of user " + first.name() + " in " + first.file() + " has " + length
                        + " values.");
            }
            return new int[] {1, size.height(), size.width()};
        }
        int side = (int) Math.round(Math.sqrt(length));
        return side * side == length ? new int[] {1, side, side} : new int[] {length};
    }

    private static String where(User u, int i) {
        return "x[" + i + "] of user " + u.name() + " in " + u.file();
    }

    /** Returns sample {@code i}'s text, checking it has {@code window} characters. */
    private static String text(User u, int i, int window) {
        JsonNode x = u.x().get(i);
        if (!x.isTextual()) {
            throw new InvalidInputException(where(u, i) + " is not a text, as the data set's samples are.");
        }
        String text = x.textValue();
        int length = text.codePointCount(0, text.length());
        if (length != window) {
            throw new InvalidInputException(where(u, i) + " is a text of " + length + " characters, but the data set's "
                    + "texts have " + window + ".");
        }
        return text;
    }

    /** Returns sample {@code i}'s target character, checking it is one. */
    private static int target(User u, int i) {
        JsonNode y = u.y().get(i);
        String text = y.isTextual() ? y.textValue() : "";
        if (text.isEmpty() || text.codePointCount(0, text.length()) != 1) {
            throw new InvalidInputException("y[" + i + "] of user " + u.name() + " in " + u.file() + " is " + y
                    + ", not one character.");
        }
        return text.codePointAt(0);
    }

    /** Returns sample {@code i}'s class, checking it is a whole number below {@code classes}. */
    private static int classOf(User u, int i, int classes) {
        JsonNode y = u.y().get(i);
        double v = y.isNumber() ? y.doubleValue() : Double.NaN;
        if (!(v >= 0) || v != Math.rint(v) || v >= MAX_CLASSES) {
            throw new InvalidInputException("y[" + i + "] of user " + u.name() + " in " + u.file() + " is " + y
                    + ", not a class number (0, 1, 2, ...).");
        }
        if (v >= classes) {
            throw new InvalidInputException("y[" + i + "] of user " + u.name() + " in " + u.file() + " is class "
                    + (int) v + ", but the run has " + classes + " classes (0 to " + (classes - 1) + ").");
        }
        return (int) v;
    }

    /**
     * Encodes users' samples; the users are the owners, one per name.
     *
     * @param own whether these are a client's own samples (messages speak of the run's classes)
     */
    private static Dataset encode(List<User> users, Form form, boolean own) {
        Map<String, Integer> ownerIndex = new LinkedHashMap<>();
        users.forEach(u -> ownerIndex.putIfAbsent(u.name(), ownerIndex.size()));
        List<String> ownerNames = List.copyOf(ownerIndex.keySet());
        int total = users.stream().mapToInt(u -> u.x().size()).sum();
        if (form instanceof Pixels pixels) {
            int size = pixels.size();
            float[] features = new float[total * size];
            int[] labels = new int[total];
            int[] owners = new int[total];
            int n = 0;
            for (User u : users) {
                for (int i = 0; i < u.x().size(); i++) {
                    JsonNode x = u.x().get(i);
                    if (!x.isArray()) {
                        throw new InvalidInputException(where(u, i) + " is not a vector of pixels, as the "
                                + (own ? "run's" : "data set's") + " samples are.");
                    }
                    if (x.size() != size) {
                        throw new InvalidInputException(where(u, i) + " has " + x.size() + " values, but the "
                                + (own ? "run's" : "data set's") + " samples are " + pixels.describe() + ".");
                    }
                    for (int j = 0; j < size; j++) {
                        JsonNode v = x.get(j);
                        if (!v.isNumber()) {
                            throw new InvalidInputException(where(u, i) + " holds " + v + ", not a number.");
                        }
                        features[n * size + j] = v.floatValue();
                    }
                    labels[n] = classOf(u, i, pixels.classes());
                    owners[n] = ownerIndex.get(u.name());
                    n++;
                }
            }
            List<String> classes = new ArrayList<>();
            for (int c = 0; c < pixels.classes(); c++) {
                classes.add(Integer.toString(c));
            }
            return new Dataset(NAME, features, labels, pixels.shape(), classes, Dataset.Kind.FEATURES, owners,
                    ownerNames);
        }
        Characters chars = (Characters) form;
        int window = chars.window();
        Vocabulary vocabulary = chars.vocabulary();
        float[] features = new float[total * window];
        int[] labels = new int[total];
        int[] owners = new int[total];
        int n = 0;
        for (User u : users) {
            for (int i = 0; i < u.x().size(); i++) {
                String text = text(u, i, window);
                int label = vocabulary.indexOf(Character.toString(target(u, i)));
                if (label == Vocabulary.UNKNOWN_INDEX) {
                    continue;
                }
                int[] codePoints = text.codePoints().toArray();
                for (int j = 0; j < window; j++) {
                    features[n * window + j] = vocabulary.indexOf(Character.toString(codePoints[j]));
                }
                labels[n] = label;
                owners[n] = ownerIndex.get(u.name());
                n++;
            }
        }
        return new Dataset(NAME, java.util.Arrays.copyOf(features, n * window), java.util.Arrays.copyOf(labels, n),
                new int[] {window}, vocabulary.words(), Dataset.Kind.TOKENS, java.util.Arrays.copyOf(owners, n),
                ownerNames);
    }

    private static String schemaText(Form form) {
        ObjectNode root = JSON.createObjectNode();
        if (form instanceof Pixels pixels) {
            root.put("kind", "pixels");
            ArrayNode shape = root.putArray("shape");
            for (int d : pixels.shape()) {
                shape.add(d);
            }
            root.put("classes", pixels.classes());
        } else {
            Characters chars = (Characters) form;
            root.put("kind", "characters");
            root.put("window", chars.window());
            ArrayNode words = root.putArray("vocabulary");
            chars.vocabulary().words().forEach(words::add);
        }
        return root.toString();
    }

    private static Form parseSchema(DataSchema schema) {
        if (!schema.dataset().equals(NAME)) {
            throw new InvalidInputException("the run's data schema is for data set " + schema.dataset() + ", not "
                    + NAME + ".");
        }
        try {
            JsonNode root = JSON.readTree(schema.text());
            String kind = root.get("kind").textValue();
            if ("pixels".equals(kind)) {
                JsonNode shape = root.get("shape");
                int[] dims = new int[shape.size()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = shape.get(i).intValue();
                    if (dims[i] < 1) {
                        throw new IllegalArgumentException("shape");
                    }
                }
                int classes = root.get("classes").intValue();
                if ((dims.length != 1 && dims.length != 3) || classes < 1) {
                    throw new IllegalArgumentException("shape");
                }
                return new Pixels(dims, classes);
            }
            if ("characters".equals(kind)) {
                List<String> words = new ArrayList<>();
                root.get("vocabulary").forEach(w -> words.add(w.textValue()));
                int window = root.get("window").intValue();
                if (window < 1 || words.contains(null)) {
                    throw new IllegalArgumentException("window");
                }
                return new Characters(window, Vocabulary.of(words));
            }
            throw new IllegalArgumentException("kind");
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("the run's data schema does not describe LEAF data (pixels with a shape "
                    + "and classes, or characters with a window and a vocabulary).", e);
        }
    }
}
