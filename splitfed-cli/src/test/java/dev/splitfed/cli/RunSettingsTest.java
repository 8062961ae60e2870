package dev.splitfed.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.aggregate.Strategy;
import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.SimulationConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
