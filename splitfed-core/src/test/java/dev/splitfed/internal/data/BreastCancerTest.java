package dev.splitfed.internal.data;

import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.InvalidInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BreastCancerTest {

    @Test
    void loadsAll569SamplesSplit80To20PerClass() {
        DataSplit split = BreastCancer.load();

        assertThat(split.train().size() + split.test().size()).isEqualTo(569);
        // 212 malignant and 357 benign; 20% of each, rounded, is held out: 42 and 71.
        assertThat(split.test().classCounts()).containsExactly(42, 71);
        assertThat(split.train().classCounts()).containsExactly(170, 286);
        assertThat(split.train().sampleShape()).containsExactly(30);
        assertThat(split.train().classNames()).containsExactly("malignant", "benign");
        assertThat(split.sample()).isFalse();
        assertThat(split.source()).isEqualTo("bundled breast-cancer/breast_cancer.csv");
    }

    @Test
    void trainingFeaturesHaveMeanZeroAndStdOnePerColumn() {
        Dataset train = BreastCancer.load().train();
        float[] x = train.features();
        int n = train.size();

        for (int j = 0; j < 30; j++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += x[i * 30 + j];
            }
            double mean = sum / n;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                squares += (x[i * 30 + j] - mean) * (x[i * 30 + j] - mean);
            }
            assertThat(mean).as("mean of column %d", j).isCloseTo(0, within(1e-5));
            assertThat(Math.sqrt(squares / n)).as("std of column %d", j).isCloseTo(1, within(1e-5));
        }
    }

    @Test
    void testSplitIsStandardisedWithTrainingStatistics() throws IOException {
        double[][] raw = readRawRows();
        int[] labels = Arrays.stream(raw).mapToInt(r -> (int) r[30]).toArray();
        StratifiedSplit split = StratifiedSplit.ofFraction(labels, 2, 0.2, BreastCancer.SPLIT_SEED);
        // Column 0 (mean radius) statistics over the training rows only, population std.
        double mean = Arrays.stream(split.rest()).mapToDouble(i -> raw[i][0]).average().orElseThrow();
        double variance = Arrays.stream(split.rest()).mapToDouble(i -> (raw[i][0] - mean) * (raw[i][0] - mean)).sum()
                / split.rest().length;
        int firstTest = split.chosen()[0];
        double expected = (raw[firstTest][0] - mean) / Math.sqrt(variance);

        Dataset test = BreastCancer.load().test();

        assertThat(test.label(0)).isEqualTo(labels[firstTest]);
        assertThat((double) test.features()[0]).isCloseTo(expected, within(1e-5));
        // The test split is not re-centred on itself: its own mean of column 0 is not exactly 0.
        double testMean = 0;
        for (int i = 0; i < test.size(); i++) {
            testMean += test.features()[i * 30];
        }
        assertThat(Math.abs(testMean / test.size())).isGreaterThan(1e-3);
    }

    @Test
    void rowWithWrongColumnCountNamesTheLine() {
        String csv = "2,3,no,yes\n1,2,3,0\n1,2,1\n";
        assertThatThrownBy(() -> parse(csv))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("test.csv line 3 has 3 columns, expected 4 (3 features and the target).");
    }

    @Test
    void nonNumberNamesLineAndColumn() {
        String csv = "2,3,no,yes\n1,2,3,0\n1,abc,3,1\n";
        assertThatThrownBy(() -> parse(csv))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("test.csv line 3, column 2: 'abc' is not a finite number.");
    }

    @Test
    void nanFeatureIsRejected() {
        String csv = "1,3,no,yes\n1,NaN,3,0\n";
        assertThatThrownBy(() -> parse(csv))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("test.csv line 2, column 2: 'NaN' is not a finite number.");
    }

    @Test
    void targetOutsideClassesIsRejected() {
        String csv = "1,3,no,yes\n1,2,3,2\n";
        assertThatThrownBy(() -> parse(csv))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("test.csv line 2: target '2' is not a class index from 0 to 1.");
    }

    @Test
    void rowCountMustMatchHeader() {
        String csv = "3,3,no,yes\n1,2,3,0\n1,2,3,1\n";
        assertThatThrownBy(() -> parse(csv))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("test.csv holds 2 data rows, but its header announces 3.");
    }

    @Test
    void wellFormedCsvParsesToFeaturesAndLabels() throws IOException {
        Dataset d = parse("2,3,no,yes\n1,2.5,-3e1,0\n4,5,6,1\n");

        assertThat(d.features()).containsExactly(1f, 2.5f, -30f, 4f, 5f, 6f);
        assertThat(d.labels()).containsExactly(0, 1);
        assertThat(d.classNames()).isEqualTo(List.of("no", "yes"));
    }

    private static Dataset parse(String csv) throws IOException {
        return BreastCancer.parse(new BufferedReader(new StringReader(csv)), "test.csv");
    }

    private static double[][] readRawRows() throws IOException {
        try (InputStream in = BreastCancer.class.getResourceAsStream("/dev/splitfed/data/breast-cancer/breast_cancer.csv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n");
            return Arrays.stream(lines, 1, lines.length)
                    .map(line -> Arrays.stream(line.split(",")).mapToDouble(Double::parseDouble).toArray())
                    .toArray(double[][]::new);
        }
    }
}
