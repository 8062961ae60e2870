package dev.splitfed.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scale target of the speed issue: 1,000 clients on full Fashion-MNIST (60 samples each),
 * 5% of them selected a round, in a JVM whose heap may not pass 2 GB. Clients that are not
 * selected hold no model, so the heap stays far below the limit. Run with {@code mvn verify -Pslow}.
 */
@Tag("slow")
class ScaleTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"fl", "sflv1"})
    void thousandClientsTrainInA2GbHeap(String scheme) throws IOException, InterruptedException {
        Path out = tmp.resolve(scheme);
        Process p = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx2g", "-Dai.djl.offline=true", "-Djava.awt.headless=true",
                        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                        "simulate", "--scheme", scheme, "--clients", "1000", "--fraction", "0.05", "--rounds", "2",
                        "--threads", "1", "--quiet", "--out", out.toString()))
                .redirectErrorStream(true).redirectOutput(tmp.resolve(scheme + ".log").toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve(scheme + ".log"))).isZero();
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("data").get("bundled_sample").asBoolean()).as("full Fashion-MNIST installed").isFalse();
        assertThat(summary.get("rounds_completed").asInt()).isEqualTo(2);
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            assertThat(new ObjectMapper().readTree(line).get("clients").asInt()).isEqualTo(50);
        }
        JsonNode memory = summary.get("memory");
        assertThat(memory.get("max_heap_bytes").asLong()).isLessThanOrEqualTo(2L << 30);
        assertThat(memory.get("peak_heap_bytes").asLong()).isLessThan(1L << 30);
    }
}
