package dev.splitfed.scheme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import dev.splitfed.data.DatasetCatalog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings schema: defaults, text forms, derived defaults, and what a run records. */
class SettingsTest {

    @Test
    void everySettingHasAUniqueKeyADescriptionAndAnExampleThatParses() {
        assertThat(Settings.ALL).extracting(Setting::key).doesNotHaveDuplicates().hasSize(45);
        for (Setting<?> s : Settings.ALL) {
            assertThat(s.description()).as(s.key()).endsWith(".").doesNotContain("\n");
            assertThat(s.example()).as(s.key()).isNotBlank();
            s.parse(s.example());
        }
        assertThat(Settings.keys()).startsWith("aggregator", "async", "attack", "batch-seconds", "batch-size");
    }

    @Test
    void theBuilderStartsFromTheSchemasDefaults() {
        SimulationConfig config = SimulationConfig.builder().build();
        for (Setting<?> s : Settings.ALL) {
            if (s.defaultValue() != null) {
                assertThat((Object) s.value(config)).as(s.key()).isEqualTo(s.defaultValue());
            }
        }
        assertThat(config.clients()).isEqualTo(5);
        assertThat(config.rounds()).isEqualTo(10);
        assertThat(config.optimizer().momentum()).isEqualTo(0.9f);
        assertThat(config.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void defaultsThatDependOnTheDataSetAndModelAreResolvedInTheCore() {
        SimulationConfig images = SimulationConfig.builder().build();
        assertThat(images.model()).isEqualTo("lenet5");
        assertThat(images.partition()).isEqualTo("iid");
        assertThat(images.optimizer().learningRate()).isEqualTo(0.01f);

        SimulationConfig words = SimulationConfig.fromSettings(Map.of("dataset", "fortunes"));
        assertThat(words.model()).isEqualTo("next-word");
        assertThat(words.partition()).isEqualTo("natural");
        assertThat(words.optimizer().learningRate()).isEqualTo(0.5f);
        assertThat(SimulationConfig.fromSettings(Map.of("dataset", "fortunes", "optimizer", "adam"))
                .optimizer().learningRate()).isEqualTo(0.01f);
        assertThat(SimulationConfig.fromSettings(Map.of("dataset", "breast-cancer")).model()).isEqualTo("mlp");
        // Secure aggregation's T: floor((m - 1) / 2) for m = round(0.5 * 10) = 5 clients a round.
        assertThat(SimulationConfig.fromSettings(Map.of("scheme", "fl", "clients", "10", "fraction", "0.5",
                "secure-agg", "true")).secureAggDropouts()).isEqualTo(2);
        assertThat(SimulationConfig.fromSettings(Map.of("scheme", "fl", "personal-head", "true")).personalHoldout())
                .isEqualTo(0.2);
    }

    @Test
    void whatARunRecordsReadsBackToTheSameConfiguration() {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("scheme", "fl");
        given.put("dataset", "breast-cancer");
        given.put("clients", 8);
        given.put("fraction", 0.5);
        given.put("rounds", 3);
        given.put("local-epochs", 2);
        given.put("optimizer", "adam");
        given.put("lr", 0.002);
        given.put("partition", "dirichlet:0.3");
        given.put("compress", "fp16");
        given.put("seed", 7);
        given.put("threads", 1);
        given.put("strategy", "fedadam:lr=0.01");
        given.put("prox-mu", 0.01);
        given.put("speeds", "lognormal:1");
        given.put("link", "100Mbit/s");
        given.put("deadline", 2.5);
        given.put("stragglers", "partial");
        given.put("aggregator", "median");
        given.put("malicious", 1);
        given.put("attack", "sign-flip:10");
        given.put("personal-head", true);
        SimulationConfig config = SimulationConfig.fromSettings(given);
        Map<String, Object> recorded = config.toSettings();
        assertThat(recorded).containsEntry("clients", 8).containsEntry("fraction", 0.5)
                .containsEntry("partition", "dirichlet:0.3").containsEntry("link", "100000000bit/s")
                .containsEntry("stragglers", "partial").containsEntry("personal-holdout", 0.2)
                .containsEntry("model", "mlp").containsEntry("dp-sgd", "none").containsEntry("dp-fedavg", "none")
                .doesNotContainKeys("secure-agg", "scaffold", "async");
        assertThat(SimulationConfig.fromSettings(Map.of("scheme", "fl", "link", "0.5bit/s", "deadline", "3"))
                .toSettings()).containsEntry("link", "0.5bit/s");
        assertThat(SimulationConfig.fromSettings(recorded).toSettings()).isEqualTo(recorded);
        // The same settings as text, as the command line and the wire give them, build the same run.
        Map<String, String> text = new LinkedHashMap<>();
        recorded.forEach((k, v) -> text.put(k, String.valueOf(v)));
        assertThat(SimulationConfig.fromSettings(text).toSettings()).isEqualTo(recorded);
    }

    @Test
    void badKeysKindsAndValuesAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> SimulationConfig.fromSettings(Map.of("client", "5")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("unknown setting 'client'; known settings: "
                        + "aggregator, async, attack");
        assertThatThrownBy(() -> SimulationConfig.fromSettings(Map.of("clients", "five")))
                .isInstanceOf(InvalidInputException.class).hasMessage("clients must be a whole number, got 'five'");
        assertThatThrownBy(() -> SimulationConfig.fromSettings(Map.of("clients", 2.5)))
                .isInstanceOf(InvalidInputException.class).hasMessage("clients must be a whole number, got '2.5'");
        assertThatThrownBy(() -> SimulationConfig.fromSettings(Map.of("secure-agg", "yes")))
                .isInstanceOf(InvalidInputException.class).hasMessage("secure-agg must be true or false, got 'yes'");
        assertThatThrownBy(() -> SimulationConfig.fromSettings(Map.of("scaffold", List.of(true))))
                .isInstanceOf(InvalidInputException.class).hasMessage("scaffold needs a single value: true or false");
        assertThatThrownBy(() -> SimulationConfig.fromSettings(Map.of("data-dir", "a\0b")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("data-dir cannot be 'a\0b': ");
        assertThatThrownBy(() -> SimulationConfig.fromSettings(Map.of("threads", "2000000000")))
                .isInstanceOf(InvalidInputException.class).hasMessage("threads must be in 1 to 1024, got 2000000000");
        assertThatThrownBy(() -> SimulationConfig.fromSettings(Map.of("batch-size", "2000000000")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("batch-size must be in 1 to 1048576, got 2000000000");
        // A value the user typed keeps its braces: only the names of settings are words.
        assertThat(new InvalidInputException("unknown scheme '{fl}'").message(k -> "--" + k))
                .isEqualTo("unknown scheme '{fl}'");
        InvalidInputException e = new InvalidInputException("{async} cannot go with {deadline}: FedBuff has no rounds");
        assertThat(e.getMessage()).isEqualTo("async cannot go with deadline: FedBuff has no rounds");
        assertThat(e.message(k -> "--" + k)).isEqualTo("--async cannot go with --deadline: FedBuff has no rounds");
    }

    @Test
    void theDocsTableListsEverySettingUnderItsGroup() {
        String md = Settings.markdownTables();
        assertThat(md).startsWith("### Data\n\n| option | default | what it sets |\n| --- | --- | --- |\n"
                + "| `--dataset NAME` | fashion-mnist | The data set:");
        for (Setting<?> s : Settings.ALL) {
            assertThat(md).contains("| `--" + s.key());
        }
        assertThat(md).contains("| `--secure-agg` | off |").contains("| `--lr RATE` | 0.5 for next-word with sgd, else 0.01 |");
    }

    @Test
    void toBuilderKeepsWhatWasGivenAndDerivesTheRestAgain() {
        SimulationConfig words = SimulationConfig.fromSettings(Map.of("dataset", "fortunes", "clients", "3"));
        SimulationConfig same = words.toBuilder().build();
        assertThat(same.toSettings()).isEqualTo(words.toSettings());
        // The learning rate was derived from the model, so another model derives it again.
        SimulationConfig adam = words.toBuilder().optOptimizer("adam").build();
        assertThat(adam.optimizer().learningRate()).isEqualTo(0.01f);
        assertThat(adam.model()).isEqualTo("next-word");
        SimulationConfig given = SimulationConfig.fromSettings(Map.of("dataset", "fortunes", "lr", "0.2"));
        assertThat(given.toBuilder().optOptimizer("adam").build().optimizer().learningRate()).isEqualTo(0.2f);
    }

    @Test
    void aSimulationGivenAnotherModelRecordsTheModelItTrains() {
        SimulationConfig config = SimulationConfig.builder().optDataset("fashion-mnist-sample").optLimit(200)
                .optClients(2).optRounds(1).optThreads(1).build();
        assertThat(config.model()).isEqualTo("lenet5");
        Simulation simulation = new Simulation(config, DatasetCatalog.load("fashion-mnist-sample", null, Map.of()), "mlp");
        assertThat(simulation.architecture().name()).isEqualTo("mlp");
        List<SimulationPlan> plans = new java.util.ArrayList<>();
        simulation.run(new SimulationListener() {
            @Override
            public void started(SimulationPlan plan) {
                plans.add(plan);
            }
        });
        assertThat(plans).hasSize(1);
        assertThat(plans.get(0).config().toSettings()).containsEntry("model", "mlp").containsEntry("lr", 0.01f);
    }
}
