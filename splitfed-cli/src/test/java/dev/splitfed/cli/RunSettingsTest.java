package dev.splitfed.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.splitfed.InvalidInputException;
import dev.splitfed.aggregate.Strategy;
import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.SimulationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSettingsTest {

    @Test
    void theSettingsAServerSendsItsClientsCarryTheStrategyAndFedProx() {
        SimulationConfig config = SimulationConfig.builder().optScheme(Scheme.SFLV1)
                .optStrategy(Strategy.parse("fedyogi:lr=0.02,tau=0.0001")).optProxMu(0.05).build();
        Map<String, String> sent = new LinkedHashMap<>();
        config.toSettings().forEach((k, v) -> sent.put(k, String.valueOf(v)));
        SimulationConfig back = RunSettings.fromMap(sent);
        assertThat(back.strategy()).isEqualTo(config.strategy());
        assertThat(back.proxMu()).isEqualTo(0.05);
        Map<String, String> older = new LinkedHashMap<>(sent);
        older.remove("strategy");
        older.remove("prox-mu");
        SimulationConfig old = RunSettings.fromMap(older);
        assertThat(old.strategy()).isEqualTo(Strategy.FEDAVG);
        assertThat(old.proxMu()).isZero();
    }

    @Test
    void aBadValueInARunsConfigFileSaysWhichFileAndNamesTheFlag(@TempDir Path run) throws IOException {
        Path file = run.resolve("config.yaml");
        Files.writeString(file, "scheme: fl\nlr: fast\n");
        InvalidInputException e = catchThrowableOfType(() -> RunSettings.fromRun(run), InvalidInputException.class);
        assertThat(e.getMessage()).isEqualTo("config file " + file + ": lr must be a number, got 'fast'");
        assertThat(Main.asFlags(e)).isEqualTo("config file " + file + ": --lr must be a number, got 'fast'");
        Files.writeString(file, "scheme: fl\ncolour: red\n");
        assertThat(catchThrowableOfType(() -> RunSettings.fromRun(run), InvalidInputException.class).getMessage())
                .startsWith("config file " + file + ": unknown setting 'colour'; known settings: aggregator, ");
    }
}
