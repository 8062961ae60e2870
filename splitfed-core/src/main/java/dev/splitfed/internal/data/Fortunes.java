package dev.splitfed.internal.data;

import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import dev.splitfed.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code fortunes} next-word data set: the English fortune-cookie files of Debian's
 * {@code fortunes} package, one client per file ({@code --partition natural}).
 *
 * <p>Each file is a topic (computers, literature, politics, songs-poems, ...) of short texts
 * separated by lines holding only {@code %}, the format {@code strfile(1)} reads. Any directory of
 * such files can stand in for it with {@code --data-dir}: one file per author, user or device.
 *
 * <p>Every tenth text of each file (the 10th, 20th, ...) is held out for testing; the vocabulary
 * ({@link Vocabulary}) is built from the other nine tenths. A sample is the window of the
 * {@value #CONTEXT} entries before a word, labelled with that word; words outside the vocabulary
 * are kept in contexts as {@code <unk>} but are never targets, since a keyboard cannot suggest a
 * word it does not know (so accuracy and perplexity are over in-vocabulary words, as in the
 * Stack Overflow next-word task of Reddi et al. 2021). Attribution lines ({@code -- Author})
 * are not part of a text.
 */
public final class Fortunes {

    /** The name of the data set on the command line. */
    public static final String NAME = "fortunes";
    /** Where Debian's {@code fortunes} package installs its files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/games/fortunes");
    /** The context window: how many preceding entries a prediction sees. */
    public static final int CONTEXT = 8;
    /** The most vocabulary entries, reserved ones included. */
    public static final int VOCABULARY = 5000;
    /** How often a training word must occur to enter the vocabulary. */
    public static final int MIN_COUNT = 2;
    /** One text in this many is held out. */
    public static final int HOLDOUT_EVERY = 10;
    /** An attribution line: {@code -- Author}, usually indented. */
    private static final Pattern ATTRIBUTION = Pattern.compile("\\s*--(\\s.*)?");

    private Fortunes() {}

    /**
     * Loads the fortune files of a directory.
     *
     * @param dir the directory, or null for {@link #DEFAULT_DIR}
     * @return training and test samples; the training set's owners are the files
     * @throws InvalidInputException if the directory holds no fortune files or cannot be read
     */
    public static DataSplit load(Path dir) {
        return load(dir, null);
    }

    /**
     * Loads the fortune files of a directory with a given vocabulary: how a deployed client reads
     * its own text, whose words must index the run's vocabulary, not one of its own.
     *
     * @param dir the directory, or null for {@link #DEFAULT_DIR}
     * @param fixed the vocabulary to use, or null to build one from the training split
     * @return training and test samples; the training set's owners are the files
     * @throws InvalidInputException if the directory holds no fortune files or cannot be read
     */
    public static DataSplit load(Path dir, Vocabulary fixed) {
        return load(dir, fixed, HOLDOUT_EVERY);
    }

    /**
     * Loads every text of the fortune files of a directory as training samples, with a given
     * vocabulary: a deployed client's own text, none of which it holds out.
     *
     * @param dir the directory
     * @param vocabulary the run's vocabulary
     * @return the samples; the owners are the files
     * @throws InvalidInputException if the directory holds no fortune files, no in-vocabulary word, or cannot be read
     */
    public static Dataset loadAll(Path dir, Vocabulary vocabulary) {
        return load(dir, vocabulary, 0).train();
    }

    private static DataSplit load(Path dir, Vocabulary fixed, int holdoutEvery) {
        Path from = dir != null ? dir : DEFAULT_DIR;
        List<Path> files = files(from, dir == null);
        List<String> names = new ArrayList<>();
        List<List<List<String>>> trainTexts = new ArrayList<>();
        List<List<List<String>>> testTexts = new ArrayList<>();
        List<List<String>> allTrain = new ArrayList<>();
        for (Path file : files) {
            List<List<String>> train = new ArrayList<>();
            List<List<String>> test = new ArrayList<>();
            List<String> texts = texts(read(file));
            for (int j = 0; j < texts.size(); j++) {
                List<String> words = Tokenizer.words(texts.get(j));
                if (!words.isEmpty()) {
                    (holdoutEvery > 0 && (j + 1) % holdoutEvery == 0 ? test : train).add(words);
                }
            }
            names.add(file.getFileName().toString());
            trainTexts.add(train);
            testTexts.add(test);
            allTrain.addAll(train);
        }
        Vocabulary vocabulary = fixed != null ? fixed : Vocabulary.build(allTrain, VOCABULARY, MIN_COUNT);
        Dataset train = samples(trainTexts, names, vocabulary);
        Dataset test = samples(testTexts, names, vocabulary);
        if (train.size() == 0) {
            throw new InvalidInputException(from + " holds no word of the vocabulary to train on.");
        }
        if (holdoutEvery > 0 && test.size() == 0) {
            throw new InvalidInputException(from + " holds too little text for a training and a test set (every "
                    + holdoutEvery + "th text is held out).");
        }
        return new DataSplit(train, test, from.toString(), false);
    }

    /**
     * Returns the texts of a fortune file: the runs of lines between {@code %} lines, without
     * attribution lines, trimmed, empty ones dropped.
     *
     * @param content the file's content
     * @return its texts, in order
     */
    public static List<String> texts(String content) {
        List<String> texts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (String line : content.split("\r?\n", -1)) {
            if (line.equals("%")) {
                flush(text, texts);
            } else if (!ATTRIBUTION.matcher(line).matches()) {
                text.append(line).append('\n');
            }
        }
        flush(text, texts);
        return texts;
    }

    private static void flush(StringBuilder text, List<String> texts) {
        String t = text.toString().strip();
        if (!t.isEmpty()) {
            texts.add(t);
        }
        text.setLength(0);
    }

    /**
     * Turns texts into samples: for every in-vocabulary word, the {@link #CONTEXT} entries before it.
     *
     * @param texts per owner, its texts as words
     * @param owners the owners' names
     * @param vocabulary the vocabulary
     * @return the samples, owner by owner
     */
    static Dataset samples(List<List<List<String>>> texts, List<String> owners, Vocabulary vocabulary) {
        int n = 0;
        List<int[]> encoded = new ArrayList<>();
        List<Integer> ownerOf = new ArrayList<>();
        for (int o = 0; o < texts.size(); o++) {
            for (List<String> words : texts.get(o)) {
                int[] ids = words.stream().mapToInt(vocabulary::indexOf).toArray();
                encoded.add(ids);
                ownerOf.add(o);
                for (int id : ids) {
                    n += id == Vocabulary.UNKNOWN_INDEX ? 0 : 1;
                }
            }
        }
        float[] features = new float[n * CONTEXT];
        int[] labels = new int[n];
        int[] sampleOwners = new int[n];
        int i = 0;
        for (int t = 0; t < encoded.size(); t++) {
            int[] ids = encoded.get(t);
            for (int p = 0; p < ids.length; p++) {
                if (ids[p] == Vocabulary.UNKNOWN_INDEX) {
                    continue;
                }
                int[] window = Vocabulary.context(ids, p, CONTEXT);
                for (int j = 0; j < CONTEXT; j++) {
                    features[i * CONTEXT + j] = window[j];
                }
                labels[i] = ids[p];
                sampleOwners[i] = ownerOf.get(t);
                i++;
            }
        }
        return new Dataset(NAME, features, labels, new int[] {CONTEXT}, vocabulary.words(), Dataset.Kind.TOKENS,
                sampleOwners, owners);
    }

    /**
     * Returns the fortune files of a directory, in name order: every regular file except hidden
     * ones and {@code strfile}'s companions ({@code NAME.dat} indexes, {@code NAME.u8} links).
     */
    public static List<Path> files(Path dir, boolean defaultDir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException(defaultDir
                    ? "the fortunes data set needs Debian's fortunes package (apt-get install fortunes), which installs "
                            + dir + ", or {data-dir} with a directory of fortune files."
                    : "{data-dir} " + dir + " is not a directory of fortune files.");
        }
        try (Stream<Path> list = Files.list(dir)) {
            List<Path> files = list
                    .filter(Files::isRegularFile)
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return !name.startsWith(".") && !name.endsWith(".dat") && !name.endsWith(".u8");
                    })
                    .sorted()
                    .toList();
            if (files.isEmpty()) {
                throw new InvalidInputException(dir + " holds no fortune files (text files, other than strfile's .dat "
                        + "and .u8 companions).");
            }
            return files;
        } catch (IOException e) {
            throw new InvalidInputException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            // The files are UTF-8 or plain ASCII; a stray Latin-1 byte becomes U+FFFD, which no word contains.
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
