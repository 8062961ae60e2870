package dev.splitfed.internal.scheme;

import dev.splitfed.scheme.SimulationConfig;
import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.internal.data.FashionMnist;
import dev.splitfed.internal.data.IdxArray;
import dev.splitfed.internal.data.IdxWriter;
import dev.splitfed.data.Partitioner;
import dev.splitfed.internal.random.Seeds;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientDataTest {

    @TempDir
    Path tmp;

    @Test
    void aClientHoldsExactlyItsPartOfThePartition() {
        SimulationConfig cfg = SimulationConfig.builder().optDataset("fashion-mnist-sample").optClients(4)
                .optPartition("dirichlet:0.5").optLimit(1000).optSeed(9).build();
        DataSplit all = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());
        Dataset train = all.train().head(1000);
        int[][] parts = Partitioner.parse("dirichlet:0.5")
                .partition(train.labels(), train.numClasses(), 4, Seeds.derive(9, "partition"));
        Dataset mine = ClientData.load(cfg, 2, null, null);
        assertThat(mine.size()).isEqualTo(parts[2].length);
        assertThat(mine.labels()).containsExactly(train.select(parts[2]).labels());
    }

    @Test
    void aClientWithItsOwnDirectoryHoldsAllOfIt() throws IOException {
        // A hospital's own files in the data set's format: 7 training images of its own.
        int n = 7;
        byte[] pixels = new byte[n * 784];
        byte[] labels = {3, 1, 4, 1, 5, 9, 2};
        IdxWriter.write(tmp.resolve(FashionMnist.TRAIN_IMAGES), new IdxArray(new int[] {n, 28, 28}, pixels));
        IdxWriter.write(tmp.resolve(FashionMnist.TRAIN_LABELS), new IdxArray(new int[] {n}, labels));
        IdxWriter.write(tmp.resolve(FashionMnist.TEST_IMAGES), new IdxArray(new int[] {1, 28, 28}, new byte[784]));
        IdxWriter.write(tmp.resolve(FashionMnist.TEST_LABELS), new IdxArray(new int[] {1}, new byte[1]));
        SimulationConfig cfg = SimulationConfig.builder().optClients(50).build();
        Dataset mine = ClientData.load(cfg, 0, tmp, null);
        assertThat(mine.size()).isEqualTo(7);
        assertThat(mine.labels()).containsExactly(3, 1, 4, 1, 5, 9, 2);
    }
}
