package dev.splitfed.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitfed.cli.SimulateCommandTest.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code splitfed attack inversion} against a tiny noisy run, and the refusals of --smashed-noise and of the attack. */
class AttackCommandTest {

    @TempDir
    static Path tmp;

    private static Path noisyRun;

    @BeforeAll
    static void tinyNoisyRun() {
        noisyRun = tmp.resolve("noisy");
        Outcome outcome = SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample", "--limit", "300",
                "--rounds", "1", "--clients", "2", "--threads", "1", "--smashed-noise", "laplace:0.0005",
                "--out", noisyRun.toString());
        assertThat(outcome.status()).as(outcome.err()).isZero();
        assertThat(outcome.out()).contains("smashed-noise laplace:0.0005 (each sample clipped to L1 <= 1, sensitivity 2): "
                + "each release of a sample's smashed data is 4000-DP; 1 releases per training sample in this run: 4000-DP");
    }

    @Tag("engine-parity")
    @Test
    void inversionReportsTheDecoderAgainstTheMeanImageAndWritesItsFiles() throws Exception {
        Outcome outcome = SimulateCommandTest.run("attack", "inversion", "--run", noisyRun.toString(), "--aux", "200",
                "--victims", "50", "--epochs", "1", "--show", "4", "--threads", "1");
        assertThat(outcome.status()).as(outcome.err()).isZero();
        assertThat(outcome.out()).contains("smashed-noise laplace:0.0005").contains("decoder").contains("mean aux sample");
        JsonNode json = new ObjectMapper().readTree(noisyRun.resolve(InversionAttackCommand.RESULT_FILE).toFile());
        assertThat(json.get("aux").asInt()).isEqualTo(200);
        assertThat(json.get("victims").asInt()).isEqualTo(50);
        assertThat(json.get("smashed_noise").asText()).isEqualTo("laplace:0.0005");
        double mse = json.get("decoder").get("mse").asDouble();
        assertThat(mse).isPositive().isFinite();
        assertThat(json.get("mean_aux_sample").get("psnr").asDouble())
                .isCloseTo(10 * Math.log10(1 / json.get("mean_aux_sample").get("mse").asDouble()),
                        org.assertj.core.api.Assertions.within(1e-9));
        // Four victims: 4 + 4 * (56 + 4) pixels wide, 4 + 2 * (56 + 4) high.
        var png = ImageIO.read(noisyRun.resolve(InversionAttackCommand.GRID_FILE).toFile());
        assertThat(png.getWidth()).isEqualTo(244);
        assertThat(png.getHeight()).isEqualTo(124);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--aux|0|aux must be between 1 and 500 (half of the 1000 test samples), got 0.",
        "--aux|501|aux must be between 1 and 500 (half of the 1000 test samples), got 501.",
        "--victims|-3|victims must be between 1 and 500 (the other half of the test samples), got -3.",
        "--epochs|0|epochs must be at least 1, got 0.",
        "--lr|NaN|lr must be a positive number, got NaN."})
    void badAttackArgumentsExitTwoWithOneSentence(String option, String value, String sentence) {
        Outcome outcome = SimulateCommandTest.run("attack", "inversion", "--run", noisyRun.toString(), option, value,
                "--threads", "1");
        assertThat(outcome.status()).isEqualTo(2);
        assertThat(outcome.err().strip()).isEqualTo("splitfed: " + sentence);
    }

    @Test
    void attackingSomethingThatIsNotASplitRunExitsTwo() throws Exception {
        Outcome missing = SimulateCommandTest.run("attack", "inversion", "--run", tmp.resolve("nothing").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("is not a directory");
        Path fl = tmp.resolve("fl");
        Outcome run = SimulateCommandTest.run("simulate", "--scheme", "fl", "--dataset", "fashion-mnist-sample", "--limit",
                "100", "--rounds", "1", "--clients", "1", "--threads", "1", "--quiet", "--out", fl.toString());
        assertThat(run.status()).as(run.err()).isZero();
        Outcome attack = SimulateCommandTest.run("attack", "inversion", "--run", fl.toString());
        assertThat(attack.status()).isEqualTo(2);
        assertThat(attack.err().strip()).isEqualTo("splitfed: the run in " + fl
                + " trained fl, which sends no smashed data: model inversion needs a run of sl, sflv1 or sflv2.");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThat(SimulateCommandTest.run("attack", "inversion", "--run", empty.toString()).status()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sflv1|laplace:0|splitfed: smashed-noise 'laplace:0' is not one of none, laplace:B, gaussian:SIGMA with B or SIGMA a positive finite number.",
        "sflv1|gaussian:NaN|splitfed: smashed-noise 'gaussian:NaN' is not one of none, laplace:B, gaussian:SIGMA with B or SIGMA a positive finite number.",
        "sflv1|uniform:1|splitfed: smashed-noise 'uniform:1' is not one of none, laplace:B, gaussian:SIGMA with B or SIGMA a positive finite number.",
        "fl|laplace:0.1|splitfed: --smashed-noise adds noise at the cut, so it applies to sl, sflv1 and sflv2 only: fl sends no smashed data.",
        "central|gaussian:1|splitfed: --smashed-noise adds noise at the cut, so it applies to sl, sflv1 and sflv2 only: central sends no smashed data."})
    void badSmashedNoiseExitsTwoWithOneSentence(String scheme, String noise, String sentence) {
        Outcome outcome = SimulateCommandTest.run("simulate", "--scheme", scheme, "--smashed-noise", noise,
                "--dataset", "fashion-mnist-sample", "--threads", "1", "--out", tmp.resolve("refused").toString());
        assertThat(outcome.status()).isEqualTo(2);
        assertThat(outcome.err().strip()).isEqualTo(sentence);
        assertThat(tmp.resolve("refused")).doesNotExist();
    }
}
