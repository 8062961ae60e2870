package dev.splitfed.data;

import dev.splitfed.internal.data.FashionMnistFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCatalogTest {

    @Test
    void namesAndNaturalModels() {
        assertThat(DatasetCatalog.NAMES).containsExactly("fashion-mnist", "fashion-mnist-sample", "breast-cancer",
                "fortunes", "csv", "images", "leaf");
        assertThat(DatasetCatalog.naturalModel("fashion-mnist")).isEqualTo("lenet5");
        assertThat(DatasetCatalog.naturalModel("fashion-mnist-sample")).isEqualTo("lenet5");
        assertThat(DatasetCatalog.naturalModel("breast-cancer")).isEqualTo("mlp");
        assertThat(DatasetCatalog.naturalModel("fortunes")).isEqualTo("next-word");
        assertThat(DatasetCatalog.naturalPartition("fortunes")).isEqualTo("natural");
        assertThat(DatasetCatalog.naturalPartition("fashion-mnist")).isEqualTo("iid");
        assertThat(DatasetCatalog.naturalModel("csv:patients.csv")).isEqualTo("mlp");
        assertThat(DatasetCatalog.naturalPartition("csv:patients.csv")).isEqualTo("iid");
    }

    @Test
    void fashionMnistReadsGivenDirectory(@TempDir Path dir) throws IOException {
        FashionMnistFiles.write(dir, 30, 20);

        DataSplit split = DatasetCatalog.load("fashion-mnist", dir, Map.of());

        assertThat(split.train().size()).isEqualTo(30);
        assertThat(split.test().size()).isEqualTo(20);
        assertThat(split.source()).isEqualTo(dir.toString());
        assertThat(split.sample()).isFalse();
    }

    @Test
    void sampleNameAlwaysGivesBundledSample() {
        DataSplit split = DatasetCatalog.load("fashion-mnist-sample", null, Map.of("SPLITFED_DATA", "/nowhere"));

        assertThat(split.sample()).isTrue();
        assertThat(split.train().size()).isEqualTo(6_000);
    }

    @Test
    void breastCancerLoadsBundledCsv() {
        DataSplit split = DatasetCatalog.load("breast-cancer", null, Map.of());

        assertThat(split.train().size()).isEqualTo(456);
        assertThat(split.test().size()).isEqualTo(113);
        assertThat(split.train().name()).isEqualTo("breast-cancer");
    }

    @Test
    void unknownNameListsValidNames() {
        assertThatThrownBy(() -> DatasetCatalog.load("mnist", null, Map.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("unknown data set 'mnist'; expected one of fashion-mnist, fashion-mnist-sample,"
                        + " breast-cancer, fortunes, csv, images, leaf.");
        assertThatThrownBy(() -> DatasetCatalog.naturalModel("cifar10"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("unknown data set 'cifar10'");
    }

    @Test
    void dataDirForBundledSetIsRejected() {
        assertThatThrownBy(() -> DatasetCatalog.load("breast-cancer", Path.of("/data"), Map.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("data-dir /data applies only to fashion-mnist and fortunes, but breast-cancer is bundled"
                        + " with splitfed and reads no directory.");
    }
}
