package dev.splitfed.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --secure-agg} on the command line: refusals in one sentence, gRPC, and a config file that re-runs it. */
class SecureAggCommandTest {

    @TempDir
    Path tmp;

    private static SimulateCommandTest.Outcome simulate(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("simulate", "--dataset", "fashion-mnist-sample",
                "--limit", "600", "--rounds", "2", "--clients", "3", "--threads", "1", "--quiet"));
        args.addAll(List.of(more));
        return SimulateCommandTest.run(args.toArray(String[]::new));
    }

    @Test
    void whatSecureAggregationCannotDoIsRefusedInOneSentence() {
        SimulateCommandTest.Outcome sl = simulate("--scheme", "sl", "--secure-agg");
        assertThat(sl.status()).isEqualTo(2);
        assertThat(sl.err()).isEqualTo("splitfed: --secure-agg applies to fl, sflv1 and sflv2, whose fed server averages "
                + "client models, not to sl, which relays W_C from client to client." + System.lineSeparator());
        SimulateCommandTest.Outcome lossy = simulate("--secure-agg", "--compress", "topk:0.1");
        assertThat(lossy.status()).isEqualTo(2);
        assertThat(lossy.err()).contains("cannot go with the lossy --compress topk:0.1");
        SimulateCommandTest.Outcome dropouts = simulate("--secure-agg", "--secure-agg-dropouts", "2");
        assertThat(dropouts.status()).isEqualTo(2);
        assertThat(dropouts.err()).contains("secure-agg-dropouts must be in 0 to 1 for 3 clients a round");
    }

    @Test
    @Tag("deployment")
    void aSecureRunOverGrpcIsReRunFromItsConfigFile() throws IOException {
        Path first = tmp.resolve("first");
        SimulateCommandTest.Outcome o = simulate("--scheme", "sflv1", "--secure-agg", "--transport", "grpc",
                "--out", first.toString());
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(Files.readString(first.resolve("config.yaml"))).contains("secure-agg: true").contains("secure-agg-dropouts: 1");
        Path again = tmp.resolve("again");
        SimulateCommandTest.Outcome rerun = SimulateCommandTest.run("simulate", "--config",
                first.resolve("config.yaml").toString(), "--quiet", "--out", again.toString());
        assertThat(rerun.status()).as(rerun.err()).isZero();
        assertThat(SimulateCommandTest.withoutTimings(again.resolve("metrics.jsonl")))
                .isEqualTo(SimulateCommandTest.withoutTimings(first.resolve("metrics.jsonl")));
    }
}
