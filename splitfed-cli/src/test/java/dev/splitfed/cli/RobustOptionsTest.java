package dev.splitfed.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.scheme.SimulationConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --aggregator}, {@code --malicious} and {@code --attack} on the command line and in a run's settings. */
class RobustOptionsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--aggregator|krum:3|aggregator 'krum:3' does not fit krum[:f=F]",
        "--aggregator|trimmed-mean:0.5|aggregator 'trimmed-mean:0.5' needs BETA in [0, 0.5)",
        "--attack|sign-flip:-1|attack 'sign-flip:-1' needs S a positive finite number",
        "--malicious|2|--malicious 2 needs an --attack"})
    void aBadSettingExitsWithStatusTwoAndOneSentence(String option, String value, String message) {
        SimulateCommandTest.Outcome o = SimulateCommandTest.run("simulate", "--dataset", "fashion-mnist-sample",
                "--limit", "300", "--rounds", "1", "--clients", "3", "--threads", "1", "--quiet", option, value);
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @ParameterizedTest
    @CsvSource({"'multi-krum:5,f=2', 3, sign-flip:10", "bulyan, 0, gaussian:0.5", "norm-bound:2.5, 2, label-flip"})
    void theSettingsSentToClientsCarryTheRuleAndTheAttack(String aggregator, int malicious, String attack) {
        SimulationConfig sent = RunSettings.fromMap(Map.of("clients", "10", "aggregator", aggregator,
                "malicious", Integer.toString(malicious), "attack", attack));
        Map<String, String> map = new LinkedHashMap<>();
        sent.toSettings().forEach((k, v) -> map.put(k, String.valueOf(v)));
        SimulationConfig received = RunSettings.fromMap(map);
        assertThat(received.aggregator()).isEqualTo(sent.aggregator());
        assertThat(received.attack()).isEqualTo(sent.attack());
        assertThat(received.maliciousClients()).isEqualTo(sent.maliciousClients()).hasSize(malicious);
    }
}
