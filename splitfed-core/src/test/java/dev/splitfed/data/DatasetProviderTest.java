package dev.splitfed.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import dev.splitfed.registry.Plugins;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetProviderTest {

    @Test
    void listsTheBuiltInDataSetsInOrder() {
        assertThat(DatasetProvider.registry().names())
                .containsExactly("fashion-mnist", "fashion-mnist-sample", "breast-cancer", "fortunes", "csv", "images", "leaf");
        assertThat(DatasetProvider.registry().providers()).filteredOn(DatasetProvider::readsDirectory)
                .extracting(DatasetProvider::name).containsExactly("fashion-mnist", "fortunes");
    }

    @Test
    void aDataSetFromAPluginLoadsByNameWithItsModelAndPartition() {
        DataSplit split = Plugins.with("extensions", () -> DatasetCatalog.load("two-blobs", null, Map.of()));

        assertThat(split.train().size()).isEqualTo(6);
        assertThat(split.train().labels()).containsExactly(0, 1, 0, 1, 0, 1);
        assertThat(split.test().size()).isEqualTo(2);
        assertThat(split.source()).isEqualTo("made in test code");
        assertThat(Plugins.with("extensions", () -> DatasetCatalog.naturalModel("two-blobs"))).isEqualTo("tiny-linear");
        assertThat(Plugins.with("extensions", () -> DatasetCatalog.naturalPartition("two-blobs")))
                .isEqualTo("stripes:2");
        assertThat(Plugins.with("extensions", () -> DatasetProvider.registry().names()))
                .containsExactly("fashion-mnist", "fashion-mnist-sample", "breast-cancer", "fortunes", "csv", "images", "leaf", "two-blobs");
        assertThat(DatasetCatalog.NAMES)
                .containsExactly("fashion-mnist", "fashion-mnist-sample", "breast-cancer", "fortunes", "csv", "images", "leaf");
    }

    @Test
    void aDataSetFromAPluginThatReadsNoDirectoryRefusesOne() {
        assertThatThrownBy(() -> Plugins.with("extensions", () -> DatasetCatalog.load("two-blobs", Path.of("/data"),
                Map.of())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("data-dir /data applies only to fashion-mnist and fortunes, but two-blobs reads no"
                        + " directory.");
    }
}
