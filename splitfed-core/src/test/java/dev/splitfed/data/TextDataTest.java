package dev.splitfed.data;

import dev.splitfed.internal.data.Fortunes;
import dev.splitfed.internal.data.NaturalPartitioner;
import dev.splitfed.internal.data.Tokenizer;
import dev.splitfed.internal.data.Vocabulary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tokenizer, the vocabulary, the fortune-file reader and the natural partition, on hand-made text. */
class TextDataTest {

    @TempDir
    Path dir;

    @Test
    void tokenizerKeepsLowerCaseWordsAndInnerApostrophesAndUndoesOverstriking() {
        assertThat(Tokenizer.words("Don't PANIC -- it's 42 o'clock, isn't it?"))
                .containsExactly("don't", "panic", "it's", "42", "o'clock", "isn't", "it");
        // "_\bb_\bo_\bl_\bd" is "bold" underlined on a terminal; \u2019 is a typographic apostrophe.
        assertThat(Tokenizer.words("_\bb_\bo_\bl_\bd words can\u2019t 'quote'")).containsExactly("bold", "words", "can't", "quote");
        assertThat(Tokenizer.words("  ... !! ")).isEmpty();
    }

    @Test
    void vocabularyOrdersByCountThenAlphabetAfterTheReservedEntries() {
        List<List<String>> texts = List.of(
                List.of("b", "a", "c", "a"), List.of("d", "b", "a"), List.of("e", "e", "c", "once"));
        // Counts: a 3, b 2, c 2, e 2, d 1, once 1.
        Vocabulary v = Vocabulary.build(texts, 6, 2);
        assertThat(v.words()).containsExactly("<pad>", "<unk>", "<s>", "a", "b", "c");
        assertThat(v.indexOf("a")).isEqualTo(3);
        assertThat(v.indexOf("e")).as("cut by the size limit").isEqualTo(Vocabulary.UNKNOWN_INDEX);
        assertThat(v.indexOf("once")).isEqualTo(Vocabulary.UNKNOWN_INDEX);
        assertThat(v.indexOf("<s>")).as("a reserved entry typed as a word is unknown").isEqualTo(Vocabulary.UNKNOWN_INDEX);
        assertThat(Vocabulary.build(texts, 100, 1).words())
                .containsExactly("<pad>", "<unk>", "<s>", "a", "b", "c", "e", "d", "once");
    }

    @Test
    void contextWindowsArePaddedOnTheLeftAndStartWithTheStartEntry() {
        int[] text = {7, 8, 9};
        assertThat(Vocabulary.context(text, 0, 4)).containsExactly(0, 0, 0, 2);
        assertThat(Vocabulary.context(text, 2, 4)).containsExactly(0, 2, 7, 8);
        assertThat(Vocabulary.context(text, 3, 2)).containsExactly(8, 9);
        assertThat(Vocabulary.context(text, 3, 4)).containsExactly(2, 7, 8, 9);
    }

    @Test
    void vocabularyRoundTripsThroughItsFileAndRefusesOtherLists() {
        Vocabulary v = Vocabulary.build(List.of(List.of("x", "y", "x")), 10, 1);
        v.write(dir);
        assertThat(Vocabulary.read(dir).words()).isEqualTo(v.words());
        assertThatThrownBy(() -> Vocabulary.of(List.of("the", "a"))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Vocabulary.of(List.of("<pad>", "<unk>", "<s>", "a", "a")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'a' twice");
        assertThatThrownBy(() -> Vocabulary.read(dir.resolve("none"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("vocabulary.txt");
    }

    @Test
    void fortuneFilesSplitOnPercentLinesAndDropAttributions() {
        assertThat(Fortunes.texts("One line.\n%\nTwo\nlines.\n\t\t-- Somebody\n%\n%\n\nLast\n--\n--help is a flag\n"))
                .containsExactly("One line.", "Two\nlines.", "Last\n--help is a flag");
    }

    /** Twelve texts in file "a" (text 10 held out), three in file "b"; "b.dat" and a link are not texts. */
    private Path corpus() throws IOException {
        StringBuilder a = new StringBuilder();
        for (int i = 1; i <= 12; i++) {
            a.append(i == 10 ? "the cat sat on the zebra" : "the cat sat").append("\n%\n");
        }
        Files.writeString(dir.resolve("a"), a);
        Files.writeString(dir.resolve("b"), "a dog sat\n%\nthe dog\n%\nthe dog sat\n");
        Files.writeString(dir.resolve("b.dat"), "binary index");
        Files.createSymbolicLink(dir.resolve("b.u8"), dir.resolve("b"));
        return dir;
    }

    @Test
    void fortunesHoldsOutEveryTenthTextAndBuildsTheVocabularyFromTheRestOnly() throws IOException {
        DataSplit split = Fortunes.load(corpus());
        Dataset train = split.train();
        Dataset test = split.test();
        // Training counts: sat 13, the 13 (a tie: alphabetical), cat 11, dog 3, a 1 (below the minimum count 2);
        // "zebra" and "on" occur only in the held-out text.
        assertThat(train.classNames()).containsExactly("<pad>", "<unk>", "<s>", "sat", "the", "cat", "dog");
        assertThat(train.ownerNames()).containsExactly("a", "b");
        // a: 11 texts x 3 words; b: "a dog sat" gives 2 samples (unknown "a" is no target), then 2 and 3.
        assertThat(train.size()).isEqualTo(33 + 7);
        assertThat(Arrays.stream(train.owners()).filter(o -> o == 1).count()).isEqualTo(7);
        assertThat(train.kind()).isEqualTo(Dataset.Kind.TOKENS);
        assertThat(train.sampleShape()).containsExactly(Fortunes.CONTEXT);
        // The first sample predicts "the" from <pad> x 7, <s>; the third predicts "sat" after "the cat".
        float[] f = train.features();
        assertThat(Arrays.copyOfRange(f, 0, 8)).containsExactly(0, 0, 0, 0, 0, 0, 0, 2);
        assertThat(train.label(0)).isEqualTo(4);
        assertThat(Arrays.copyOfRange(f, 16, 24)).containsExactly(0, 0, 0, 0, 0, 2, 4, 5);
        assertThat(train.label(2)).isEqualTo(3);
        // b's first sample: "dog" after <s> and the unknown "a".
        assertThat(Arrays.copyOfRange(f, 33 * 8, 34 * 8)).containsExactly(0, 0, 0, 0, 0, 0, 2, 1);
        assertThat(train.label(33)).isEqualTo(6);
        // Held out: "the cat sat on the zebra" has targets the, cat, sat, the (on, zebra unknown).
        assertThat(test.labels()).containsExactly(4, 5, 3, 4);
        assertThat(Arrays.copyOfRange(test.features(), 3 * 8, 4 * 8)).containsExactly(0, 0, 0, 2, 4, 5, 3, 1);
    }

    @Test
    void everyTextFileIsAFortuneFileButStrfilesCompanionsAndHiddenFilesAreNot() throws IOException {
        corpus();
        Files.writeString(dir.resolve("notes.txt"), "my own words");
        Files.writeString(dir.resolve(".hidden"), "not mine");
        assertThat(Fortunes.files(dir, false)).extracting(p -> p.getFileName().toString())
                .containsExactly("a", "b", "notes.txt");
    }

    @Test
    void aClientsOwnTextIsAllTrainingTextReadWithTheRunsVocabulary() throws IOException {
        Vocabulary run = Vocabulary.of(Fortunes.load(corpus()).train().classNames());
        Path phone = Files.createDirectories(dir.resolve("phone"));
        // Fewer than ten texts: nothing can be held out, and nothing need be.
        Files.writeString(phone.resolve("mine"), "The dog sat.\n%\nA zebra sat\n");
        Dataset own = Fortunes.loadAll(phone, run);
        assertThat(own.classNames()).isEqualTo(run.words());
        // the(4) dog(6) sat(3); a and zebra are unknown, so only sat(3) in the second text is a target.
        assertThat(own.labels()).containsExactly(4, 6, 3, 3);
        assertThat(Arrays.copyOfRange(own.features(), 3 * 8, 4 * 8)).containsExactly(0, 0, 0, 0, 0, 2, 1, 1);
        assertThat(Vocabulary.of(own.classNames()).digest()).isEqualTo(run.digest());
        assertThat(Vocabulary.build(List.of(List.of("x")), 10, 1).digest()).isNotEqualTo(run.digest());
        Files.writeString(phone.resolve("mine"), "zebra zebra\n");
        assertThatThrownBy(() -> Fortunes.loadAll(phone, run)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no word of the vocabulary");
    }

    @Test
    void fortunesExplainsAMissingDirectory() {
        assertThatThrownBy(() -> Fortunes.load(dir.resolve("nowhere"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not a directory");
        assertThatThrownBy(() -> Fortunes.load(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no fortune files");
    }

    @Test
    void naturalPartitionKeepsOwnersTogetherAndDealsThemInTurn() {
        float[] features = new float[7];
        int[] labels = new int[7];
        int[] owners = {0, 0, 2, 1, 2, 3, 3};
        Dataset data = new Dataset("t", features, labels, new int[] {1}, List.of("w"), Dataset.Kind.TOKENS, owners,
                List.of("p", "q", "r", "s"));
        NaturalPartitioner natural = new NaturalPartitioner();
        int[][] four = natural.partition(data, 4, 1);
        assertThat(four).isDeepEqualTo(new int[][] {{0, 1}, {3}, {2, 4}, {5, 6}});
        // Two clients: owners p, r to client 0 and q, s to client 1.
        assertThat(natural.partition(data, 2, 1)).isDeepEqualTo(new int[][] {{0, 1, 2, 4}, {3, 5, 6}});
        assertThat(natural.partition(data, 2, 99)).as("the data's own split: no seed").isDeepEqualTo(natural.partition(data, 2, 1));
        assertThatThrownBy(() -> natural.partition(data, 5, 1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("4 natural owners (p, q, r, s)");
        // Owners missing from a subset (as after --limit) are not counted.
        assertThat(natural.partition(data.head(3), 2, 1)).isDeepEqualTo(new int[][] {{0, 1}, {2}});
        Dataset plain = new Dataset("plain", new float[3], new int[3], new int[] {1}, List.of("x"));
        assertThatThrownBy(() -> natural.partition(plain, 1, 1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("natural owners");
        assertThat(Partitioner.parse("natural")).isEqualTo(natural);
    }

    @Test
    void tokenDataRefusesFeaturesThatAreNotWordIndices() {
        assertThatThrownBy(() -> new Dataset("t", new float[] {1.5f}, new int[1], new int[] {1}, List.of("a", "b"),
                Dataset.Kind.TOKENS, null, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Dataset("t", new float[] {2}, new int[1], new int[] {1}, List.of("a", "b"),
                Dataset.Kind.TOKENS, null, List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
