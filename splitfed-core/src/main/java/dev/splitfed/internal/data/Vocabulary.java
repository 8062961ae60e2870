package dev.splitfed.internal.data;

import dev.splitfed.internal.digest.Sha256;
import dev.splitfed.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The words a next-word model knows, each with its index: three reserved entries, then the most
 * frequent words of the training text.
 *
 * <p>Index 0 is {@value #PAD} (fills a context window that starts before its text), 1 is
 * {@value #UNKNOWN} (any word not in the vocabulary) and 2 is {@value #START} (the start of a text,
 * so that its first word can be predicted). The words follow by descending count, ties in
 * alphabetical order, so the same text always gives the same vocabulary. It is built from the
 * training split only: held-out text's new words are unknown, as they would be on a new phone.
 */
public final class Vocabulary {

    /** Padding before the start of a text. */
    public static final String PAD = "<pad>";
    /** Any word outside the vocabulary. */
    public static final String UNKNOWN = "<unk>";
    /** The start of a text. */
    public static final String START = "<s>";
    /** The index of {@link #PAD}. */
    public static final int PAD_INDEX = 0;
    /** The index of {@link #UNKNOWN}. */
    public static final int UNKNOWN_INDEX = 1;
    /** The index of {@link #START}. */
    public static final int START_INDEX = 2;
    private static final List<String> RESERVED = List.of(PAD, UNKNOWN, START);
    /** The file a run's out directory keeps its vocabulary in, one entry per line in index order. */
    public static final String FILE = "vocabulary.txt";

    private final List<String> words;
    private final Map<String, Integer> index;

    private Vocabulary(List<String> words) {
        this.words = List.copyOf(words);
        this.index = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            if (index.put(words.get(i), i) != null) {
                throw new InvalidInputException("the vocabulary lists '" + words.get(i) + "' twice.");
            }
        }
    }

    /**
     * Builds the vocabulary of a training text.
     *
     * @param texts the training texts, each a list of words
     * @param maxSize the most entries, reserved ones included, {@code > 3}
     * @param minCount the fewest occurrences a word needs, {@code >= 1}
     * @return the vocabulary
     */
    public static Vocabulary build(List<List<String>> texts, int maxSize, int minCount) {
        if (maxSize <= RESERVED.size() || minCount < 1) {
            throw new IllegalArgumentException("need maxSize > 3 and minCount >= 1");
        }
        Map<String, Integer> counts = new HashMap<>();
        for (List<String> text : texts) {
            for (String w : text) {
                counts.merge(w, 1, Integer::sum);
            }
        }
        List<String> words = new ArrayList<>(RESERVED);
        counts.entrySet().stream()
                .filter(e -> e.getValue() >= minCount && !RESERVED.contains(e.getKey()))
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(maxSize - RESERVED.size())
                .forEach(e -> words.add(e.getKey()));
        return new Vocabulary(words);
    }

    /**
     * Returns the vocabulary that lists these words in index order, as {@link #words()} gave them.
     *
     * @param words the reserved entries, then the words
     * @return the vocabulary
     * @throws InvalidInputException if the list does not start with the reserved entries or repeats a word
     */
    public static Vocabulary of(List<String> words) {
        if (words.size() <= RESERVED.size() || !words.subList(0, RESERVED.size()).equals(RESERVED)) {
            throw new InvalidInputException(
                    "a vocabulary starts with " + String.join(", ", RESERVED) + " and has at least one word.");
        }
        return new Vocabulary(words);
    }

    /**
     * Writes the entries to {@code dir}/{@value #FILE}, one per line in index order.
     *
     * @param dir a run's out directory
     * @throws UncheckedIOException if the file cannot be written
     */
    public void write(Path dir) {
        try {
            Files.write(dir.resolve(FILE), words, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the vocabulary {@link #write} left in {@code dir}.
     *
     * @param dir a run's out directory
     * @return the vocabulary
     * @throws InvalidInputException if the file is missing, unreadable or not a vocabulary
     */
    public static Vocabulary read(Path dir) {
        return readFile(dir.resolve(FILE));
    }

    /**
     * Reads a vocabulary file {@link #write} wrote.
     *
     * @param file the file
     * @return the vocabulary
     * @throws InvalidInputException if the file is missing, unreadable or not a vocabulary
     */
    public static Vocabulary readFile(Path file) {
        try {
            return of(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + " does not exist: a run on words writes " + FILE + " into its out directory");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(file + " is not a vocabulary: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the SHA-256 of the entries in index order, one per line, in hex: two parties whose
     * digests agree give every word the same index.
     */
    public String digest() {
        return Sha256.hex(String.join("\n", words).getBytes(StandardCharsets.UTF_8));
    }

    /** Returns the entries in index order, reserved ones first. */
    public List<String> words() {
        return words;
    }

    /** Returns the number of entries, reserved ones included. */
    public int size() {
        return words.size();
    }

    /**
     * Returns a word's index, or {@link #UNKNOWN_INDEX} for a word the vocabulary lacks.
     *
     * @param word a word as {@link Tokenizer} gives it
     * @return its index
     */
    public int indexOf(String word) {
        Integer i = index.get(word);
        return i == null || i < RESERVED.size() ? UNKNOWN_INDEX : i;
    }

    /**
     * Returns the context window that precedes position {@code position} of a text: the indices of
     * the {@code length} entries before it in {@code <s> w1 w2 ...}, padded on the left.
     *
     * @param text the text's word indices, without the start entry
     * @param position the position of the word to predict, {@code 0 <= position <= text.length}
     * @param length the window length
     * @return {@code length} indices
     */
    public static int[] context(int[] text, int position, int length) {
        int[] window = new int[length];
        for (int j = 0; j < length; j++) {
            // Entry position - length + j of the sequence <s> text[0] text[1] ...
            int s = position - length + j;
            window[j] = s < -1 ? PAD_INDEX : s == -1 ? START_INDEX : text[s];
        }
        return window;
    }
}
