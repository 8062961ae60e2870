package dev.splitfed.internal.data;

import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.splitfed.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    @TempDir
    Path dir;

    @Test
    void fullSetLoadsFromDebianPackage() throws IOException {
        Path system = FashionMnistLocator.SYSTEM_DIR;
        assumeTrue(Files.isDirectory(system), "dataset-fashion-mnist is not installed");

        DataSplit split = FashionMnist.load(system);

        assertThat(split.train().size()).isEqualTo(60_000);
        assertThat(split.test().size()).isEqualTo(10_000);
        assertThat(split.sample()).isFalse();
        assertThat(split.source()).isEqualTo(system.toString());
        assertThat(split.train().sampleShape()).containsExactly(1, 28, 28);
        assertThat(split.train().classCounts()).containsOnly(6_000);
        assertThat(split.test().classCounts()).containsOnly(1_000);
        // The label file's first label sits after its 8-byte header; Fashion-MNIST starts with an ankle boot.
        byte[] labelHead = gunzipHead(system.resolve(FashionMnist.TRAIN_LABELS), 9);
        assertThat(split.train().label(0)).isEqualTo(labelHead[8] & 0xFF).isEqualTo(9);
        // Row 10, column 13 of the first image is the raw pixel 193.
        byte[] imageHead = gunzipHead(system.resolve(FashionMnist.TRAIN_IMAGES), 16 + 28 * 10 + 14);
        int raw = imageHead[16 + 28 * 10 + 13] & 0xFF;
        assertThat(raw).isEqualTo(193);
        float[] first = new float[784];
        split.train().gather(new int[] {0}, 0, 1, first, new int[1]);
        assertThat(first[28 * 10 + 13]).isEqualTo((raw / 255f - 0.2860f) / 0.3530f);
    }

    @Test
    void pixelsAreScaledThenNormalisedWithReferenceMeanAndStd() throws IOException {
        // Image i of the fixture has every pixel equal to i, so images 0 and 255 give both ends.
        FashionMnistFiles.write(dir, 256, 1);

        Dataset train = FashionMnist.load(dir).train();

        float[] x = new float[2 * 784];
        train.gather(new int[] {0, 255}, 0, 2, x, new int[2]);
        assertThat(x[0]).isCloseTo(-0.810198f, within(1e-6f));
        assertThat(x[784]).isCloseTo(2.022663f, within(1e-6f));
        assertThat(train.classNames()).containsExactly(
                "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
        assertThat(train.label(255)).isEqualTo(5);
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        FashionMnistFiles.write(dir, 20, 10);
        IdxWriter.write(dir.resolve(FashionMnist.TEST_LABELS), new IdxArray(new int[] {9}, new byte[9]));
        assertThatThrownBy(() -> FashionMnist.load(dir))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(dir.resolve(FashionMnist.TEST_IMAGES) + " holds 10 images but "
                        + dir.resolve(FashionMnist.TEST_LABELS) + " holds 9 labels; the two must have the same count.");
    }

    @Test
    void imagesMustBe28By28() throws IOException {
        FashionMnistFiles.write(dir, 20, 10);
        IdxWriter.write(dir.resolve(FashionMnist.TRAIN_IMAGES),
                new IdxArray(new int[] {20, 32, 32}, new byte[20 * 32 * 32]));
        assertThatThrownBy(() -> FashionMnist.load(dir))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(dir.resolve(FashionMnist.TRAIN_IMAGES)
                        + " holds an array of shape 20 x 32 x 32, but Fashion-MNIST images are N x 28 x 28.");
    }

    @Test
    void labelsMustBeBelowTen() throws IOException {
        FashionMnistFiles.write(dir, 20, 10);
        byte[] labels = new byte[20];
        labels[7] = 10;
        IdxWriter.write(dir.resolve(FashionMnist.TRAIN_LABELS), new IdxArray(new int[] {20}, labels));
        assertThatThrownBy(() -> FashionMnist.load(dir))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(dir.resolve(FashionMnist.TRAIN_LABELS)
                        + " holds label 10 at position 7, but Fashion-MNIST labels are 0 to 9.");
    }

    private static byte[] gunzipHead(Path file, int n) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readNBytes(n);
        }
    }
}
