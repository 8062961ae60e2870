package dev.splitfed.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitfed.cli.SimulateCommandTest.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --model resnet18} from the command line: a run, its cuts, and FedBN. */
class ResNetCommandTest {

    @TempDir
    Path tmp;

    @Test
    void simulatesResNet18CutAfterLayer1() throws Exception {
        Path dir = tmp.resolve("run");
        Outcome o = SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample", "--model", "resnet18",
                "--cut", "2", "--limit", "200", "--rounds", "1", "--threads", "1", "--quiet", "--out", dir.toString());
        assertThat(o.status()).as(o.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(Files.readString(dir.resolve("summary.json")));
        assertThat(summary.get("rounds_completed").asInt()).isEqualTo(1);
        assertThat(summary.get("config").get("model").asText()).isEqualTo("resnet18");
    }

    @Test
    void refusesCut6AndLocalBnWithoutBatchNormalisation() {
        Outcome cut = SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample", "--model", "resnet18",
                "--cut", "6", "--limit", "200", "--rounds", "1", "--quiet", "--out", tmp.resolve("a").toString());
        assertThat(cut.status()).as(cut.err()).isEqualTo(2);
        assertThat(cut.err()).contains("cut 6 is out of range for resnet18: expected 1 to 5");
        Outcome bn = SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample", "--model", "lenet5",
                "--local-bn", "--limit", "200", "--rounds", "1", "--quiet", "--out", tmp.resolve("b").toString());
        assertThat(bn.status()).as(bn.err()).isEqualTo(2);
        assertThat(bn.err()).contains("--local-bn").contains("model lenet5 has none");
        Outcome central = SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample", "--model",
                "resnet18", "--scheme", "central", "--local-bn", "--limit", "200", "--rounds", "1", "--quiet", "--out",
                tmp.resolve("c").toString());
        assertThat(central.status()).as(central.err()).isEqualTo(2);
        assertThat(central.err()).contains("--local-bn").contains("not central");
    }
}
