package dev.splitfed.internal.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Writes small, valid Fashion-MNIST directories for tests. */
public final class FashionMnistFiles {

    private FashionMnistFiles() {}

    /**
     * Writes the four files with {@code train} and {@code test} images; image {@code i} has label
     * {@code i % 10} and every pixel equal to {@code i % 256}.
     */
    public static Path write(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        writePart(dir, FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS, train);
        writePart(dir, FashionMnist.TEST_IMAGES, FashionMnist.TEST_LABELS, test);
        return dir;
    }

    private static void writePart(Path dir, String imagesFile, String labelsFile, int count) throws IOException {
        byte[] pixels = new byte[count * 28 * 28];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            Arrays.fill(pixels, i * 784, (i + 1) * 784, (byte) i);
            labels[i] = (byte) (i % 10);
        }
        IdxWriter.write(dir.resolve(imagesFile), new IdxArray(new int[] {count, 28, 28}, pixels));
        IdxWriter.write(dir.resolve(labelsFile), new IdxArray(new int[] {count}, labels));
    }
}
