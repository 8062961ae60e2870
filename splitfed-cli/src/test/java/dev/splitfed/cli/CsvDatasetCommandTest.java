package dev.splitfed.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitfed.cli.SimulateCommandTest.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDatasetCommandTest {

    @TempDir
    Path tmp;

    /** A hospital table: three sites, two numbers, one text column and the outcome in the middle. */
    private Path table(int rows) throws IOException {
        Random random = new Random(3);
        List<String> lines = new ArrayList<>(List.of("age,outcome,smoker,site,dose"));
        String[] sites = {"leeds", "york", "hull"};
        for (int i = 0; i < rows; i++) {
            int age = 20 + random.nextInt(60);
            boolean smoker = random.nextBoolean();
            String outcome = age > 50 && smoker ? "readmitted" : "home";
            lines.add(age + "," + outcome + "," + (smoker ? "yes" : "no") + "," + sites[i % 3] + ","
                    + Math.round(random.nextGaussian() * 100) / 10.0);
        }
        Path file = tmp.resolve("patients.csv");
        Files.write(file, lines);
        return file;
    }

    @Test
    void trainsOneClientPerSiteOnAUsersTable() throws IOException {
        Path file = table(300);
        Path out = tmp.resolve("run");

        Outcome run = SimulateCommandTest.run("simulate", "--dataset", "csv:" + file, "--label", "outcome",
                "--owner", "site", "--partition", "natural", "--clients", "3", "--scheme", "sflv1", "--rounds", "1",
                "--threads", "1", "--quiet", "--out", out.toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        List<String> metrics = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertThat(metrics).hasSize(1);
        JsonNode round = new ObjectMapper().readTree(metrics.get(0));
        assertThat(round.get("clients").asInt()).isEqualTo(3);
        assertThat(round.get("test_accuracy").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void refusesALabelColumnTheTableLacksWithStatusTwoAndOneSentence() throws IOException {
        Path file = table(30);

        Outcome run = SimulateCommandTest.run("simulate", "--dataset", "csv:" + file, "--label", "diagnosis",
                "--rounds", "1", "--quiet", "--out", tmp.resolve("refused").toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("splitfed: " + file + " has no column 'diagnosis' for --label; its columns are"
                + " 'age', 'outcome', 'smoker', 'site', 'dose'." + System.lineSeparator());
    }

    @Test
    void refusesAnEmptyCellWithStatusTwoAndOneSentence() throws IOException {
        Path file = tmp.resolve("gap.csv");
        Files.write(file, List.of("age,smoker,outcome", "61,yes,readmitted", "45,,home"));

        Outcome run = SimulateCommandTest.run("simulate", "--dataset", "csv:" + file, "--rounds", "1", "--quiet",
                "--out", tmp.resolve("gap").toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("splitfed: " + file + " line 3, column 'smoker' is empty; every cell needs a"
                + " value." + System.lineSeparator());
    }
}
