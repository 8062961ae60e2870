package dev.splitfed.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.splitfed.InvalidInputException;
import dev.splitfed.scheme.SimulationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's settings read back from where a run left them: its {@code config.yaml} (to resume it),
 * or the map a server sends to the clients that join it; read through the settings schema, with
 * the same checks as the command line.
 */
final class RunSettings {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private RunSettings() {}

    /**
     * Reads a run's {@code config.yaml}.
     *
     * @param dir the run's out directory
     * @param overrides options that take precedence, as flag and value, e.g. {@code --threads 1}
     * @return the configuration
     */
    static SimulationConfig fromRun(Path dir, String... overrides) {
        Path file = dir.resolve(RunExecution.CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(dir + " holds no " + RunExecution.CONFIG_FILE + ": it is not a run's out directory");
        }
        Map<String, Object> values = new LinkedHashMap<>(readYaml(file));
        values.putAll(flags(overrides));
        try {
            return SimulationConfig.fromSettings(values);
        } catch (InvalidInputException e) {
            throw e.withContext("config file " + file + ": ");
        }
    }

    /**
     * Reads settings given as keys (option names without dashes) and values.
     *
     * @param values e.g. {@code clients -> 5}
     * @param overrides options that take precedence, as flag and value, e.g. {@code --threads 1}
     * @return the configuration
     */
    static SimulationConfig fromMap(Map<String, String> values, String... overrides) {
        Map<String, Object> all = new LinkedHashMap<>(values);
        all.putAll(flags(overrides));
        return SimulationConfig.fromSettings(all);
    }

    /**
     * Reads a YAML mapping of setting keys to values.
     *
     * @param file the file
     * @return key to value, as YAML typed them
     * @throws InvalidInputException if the file cannot be read or is no mapping
     */
    static Map<String, Object> readYaml(Path file) {
        Object root;
        try {
            root = YAML.readValue(Files.readString(file), Object.class);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("config file " + file + " does not exist");
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(
                    "config file " + file + " is not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new InvalidInputException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        if (root == null) {
            return Map.of();
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new InvalidInputException("config file " + file + " must be a mapping of option names to values");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        map.forEach((k, v) -> values.put(String.valueOf(k), v));
        return values;
    }

    private static Map<String, String> flags(String... overrides) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            out.put(overrides[i].replaceFirst("^--", ""), overrides[i + 1]);
        }
        return out;
    }
}
