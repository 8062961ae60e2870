package dev.splitfed.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.data.DataSplit;
import dev.splitfed.report.RunRecorder;
import dev.splitfed.scheme.RoundMetrics;
import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.SimulationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnModelAndDataTest {

    /** |W| of the tiny MLP on two features and three classes: (2*16 + 16) + (16*16 + 16) + (16*3 + 3). */
    private static final int PARAMETERS = 48 + 272 + 51;

    @Test
    void mainLearnsTheBlobsAndRecordsEveryRound(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        OwnModelAndData.main(new String[] {out.toString()});

        List<RoundMetrics> rounds = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            rounds.add(RunRecorder.JSON.readValue(line, RoundMetrics.class));
        }
        assertThat(rounds).extracting(RoundMetrics::round).containsExactly(1, 2, 3, 4, 5);
        assertThat(rounds).extracting(RoundMetrics::scheme).containsOnly("sflv1");
        assertThat(rounds).extracting(RoundMetrics::clients).containsOnly(4);
        // Measured: 0.373 after round 1, 0.987 after round 5; the blobs allow about 0.99.
        assertThat(rounds.get(0).testAccuracy()).isLessThan(0.6);
        assertThat(rounds.get(4).testAccuracy()).isGreaterThan(0.95);
        assertThat(rounds.get(4).testLoss()).isLessThan(rounds.get(0).testLoss() / 3);
        assertThat(Files.readString(out.resolve("summary.json")))
                .contains("\"name\" : \"tiny-mlp\"", "\"dataset\" : \"blobs\"", "\"train_samples\" : 600");
        assertThat(Files.readAllLines(out.resolve("config.yaml")))
                .contains("scheme: \"sflv1\"", "model: \"tiny-mlp\"", "dataset: \"blobs\"", "partition: \"dirichlet:0.5\"");
    }

    @Test
    void sflv1GivesFedAvgsGlobalModel(@TempDir Path dir) {
        // With an element-wise optimizer (SGD with momentum), averaging the main server's copies of
        // W_S each round is FedAvg over whole models: the two schemes train the same global model.
        DataSplit data = OwnModelAndData.data();
        SimulationResult sflv1 = OwnModelAndData.train(OwnModelAndData.config(Scheme.SFLV1, 3), data, dir.resolve("s"));
        SimulationResult fl = OwnModelAndData.train(OwnModelAndData.config(Scheme.FL, 3), data, dir.resolve("f"));

        assertThat(fl.globalWeights()).hasSize(PARAMETERS);
        assertThat(sflv1.globalWeights()).hasSize(PARAMETERS);
        for (int i = 0; i < PARAMETERS; i++) {
            assertThat(sflv1.globalWeights()[i]).as("weight %d", i).isCloseTo(fl.globalWeights()[i], within(1e-6f));
        }
        for (int r = 0; r < 3; r++) {
            assertThat(sflv1.rounds().get(r).testAccuracy()).isCloseTo(fl.rounds().get(r).testAccuracy(), within(1e-6));
            // fl sends every client the whole model, 4 bytes a weight.
            assertThat(fl.rounds().get(r).bytesDown()).isEqualTo(4L * PARAMETERS * 4);
        }
        assertThat(fl.rounds().get(2).testAccuracy()).isGreaterThan(0.9);
    }
}
