package dev.splitfed.internal.data;

import dev.splitfed.data.DataSplit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistSampleTest {

    @Test
    void bundledSampleHolds600TrainAnd100TestImagesPerClass() {
        DataSplit split = FashionMnistSample.load();

        assertThat(split.sample()).isTrue();
        assertThat(split.source()).isEqualTo("bundled sample (10% of Fashion-MNIST)");
        assertThat(split.train().size()).isEqualTo(6_000);
        assertThat(split.test().size()).isEqualTo(1_000);
        assertThat(split.train().classCounts()).containsExactly(600, 600, 600, 600, 600, 600, 600, 600, 600, 600);
        assertThat(split.test().classCounts()).containsExactly(100, 100, 100, 100, 100, 100, 100, 100, 100, 100);
        assertThat(split.train().sampleShape()).containsExactly(1, 28, 28);
        assertThat(split.train().name()).isEqualTo("fashion-mnist-sample");
    }

    @Test
    void regeneratingFromDebianCopyGivesTheBundledFilesByteForByte(@TempDir Path out) throws IOException {
        assumeTrue(Files.isDirectory(FashionMnistLocator.SYSTEM_DIR), "dataset-fashion-mnist is not installed");

        FashionMnistSample.write(FashionMnistLocator.SYSTEM_DIR, out);

        for (String file : FashionMnist.FILE_NAMES) {
            String resource = "/dev/splitfed/data/fashion-mnist-sample/" + file;
            try (InputStream bundled = FashionMnistSample.class.getResourceAsStream(resource)) {
                assertThat(Files.readAllBytes(out.resolve(file))).as(file).isEqualTo(bundled.readAllBytes());
            }
        }
    }
}
