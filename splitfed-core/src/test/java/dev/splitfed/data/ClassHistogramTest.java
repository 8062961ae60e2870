package dev.splitfed.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassHistogramTest {

    private static final int[] LABELS = {0, 1, 2, 0, 1, 2, 0, 0};

    @Test
    void countsEachClientsClasses() {
        ClassHistogram h = ClassHistogram.of(new int[][] {{0, 3, 6}, {1, 2, 4, 5, 7}}, LABELS, 3);

        assertThat(h.counts()).isDeepEqualTo(new int[][] {{3, 0, 0}, {1, 2, 2}});
        assertThat(h.samples(1)).isEqualTo(5);
        assertThat(h.clients()).isEqualTo(2);
        assertThat(h.numClasses()).isEqualTo(3);
    }

    @Test
    void skewIsMeanTotalVariationFromGlobalDistribution() {
        // Global: 4/8, 2/8, 2/8. Client 0: 1, 0, 0 -> TV 0.5. Client 1: 1/5, 2/5, 2/5 -> TV 0.3.
        ClassHistogram h = ClassHistogram.of(new int[][] {{0, 3, 6}, {1, 2, 4, 5, 7}}, LABELS, 3);

        assertThat(h.skew()).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void identicalClientsHaveZeroSkew() {
        ClassHistogram h = ClassHistogram.of(new int[][] {{0, 1}, {3, 4}}, LABELS, 3);

        assertThat(h.skew()).isZero();
    }

    @Test
    void formatShowsLegendHeaderAndOneRowPerClient() {
        ClassHistogram h = ClassHistogram.of(new int[][] {{0, 3, 6}, {1, 2, 4, 5, 7}}, LABELS, 3);

        assertThat(h.format(List.of("cat", "dog", "eel"))).isEqualTo(
                "classes: 0=cat 1=dog 2=eel\n"
                        + "client samples 0 1 2\n"
                        + "     0       3 3 0 0\n"
                        + "     1       5 1 2 2\n");
    }

    @Test
    void aVocabularyGetsTheFirstTenNamesAndADistinctClassCountPerClient() {
        List<String> words = new java.util.ArrayList<>();
        for (int c = 0; c < 25; c++) {
            words.add("w" + c);
        }
        // Client 0 holds classes 3, 3 and 24; client 1 holds 0, 1, 2 and 5.
        int[] labels = {3, 3, 24, 0, 1, 2, 5};
        ClassHistogram h = ClassHistogram.of(new int[][] {{0, 1, 2}, {3, 4, 5, 6}}, labels, 25);

        assertThat(h.format(words)).isEqualTo(
                "classes: 25; the first ten: 0=w0 1=w1 2=w2 3=w3 4=w4 5=w5 6=w6 7=w7 8=w8 9=w9 …\n"
                        + "client samples   classes\n"
                        + "     0       3         2\n"
                        + "     1       4         4\n");
    }

    @Test
    void formatCutsLongTablesAfterTenClients() {
        int[][] partition = new int[25][];
        for (int k = 0; k < 25; k++) {
            partition[k] = new int[] {k};
        }
        int[] labels = new int[25];

        String table = ClassHistogram.of(partition, labels, 1).format(List.of("only"));

        assertThat(table.lines()).hasSize(2 + 10 + 1);
        assertThat(table.lines().toList().get(11)).isEqualTo("     9       1 1");
        assertThat(table).endsWith("… 15 more clients\n");
    }
}
