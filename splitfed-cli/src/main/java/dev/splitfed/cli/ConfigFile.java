package dev.splitfed.cli;

import dev.splitfed.InvalidInputException;
import dev.splitfed.scheme.Setting;
import dev.splitfed.scheme.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A YAML file of option values ({@code --config FILE}): its keys are the long option names without
 * dashes ({@code clients: 5}, {@code local-epochs: 2}); a flag on the command line overrides the
 * file. Unknown keys and values of the wrong type are refused with the key's name.
 */
final class ConfigFile implements CommandLine.IDefaultValueProvider {

    private static final List<String> NOT_IN_FILES = List.of("config", "resume", "help", "version");

    private final Map<String, String> values;

    private ConfigFile(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Finds {@code --config FILE} in the arguments of a subcommand and, if present, makes the file
     * that subcommand's source of default values.
     *
     * @param root the top-level command
     * @param args the arguments as given
     * @throws InvalidInputException if the file cannot be read or holds a bad key or value
     */
    static void install(CommandLine root, String[] args) {
        if (args.length == 0 || !root.getSubcommands().containsKey(args[0])) {
            return;
        }
        CommandLine sub = root.getSubcommands().get(args[0]);
        if (!sub.getCommandSpec().optionsMap().containsKey("--config")) {
            return;
        }
        Path file = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = Path.of(args[i + 1]);
            } else if (args[i].startsWith("--config=")) {
                file = Path.of(args[i].substring("--config=".length()));
            }
        }
        if (file != null) {
            sub.setDefaultValueProvider(load(file, sub.getCommandSpec()));
        }
    }

    /**
     * Reads and checks a config file against a command's options.
     *
     * @param file the YAML file
     * @param spec the command whose options the keys name
     * @return the default value provider
     */
    static ConfigFile load(Path file, CommandSpec spec) {
        Map<String, Object> map = RunSettings.readYaml(file);
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            OptionSpec option = spec.optionsMap().get("--" + key);
            if (option == null || NOT_IN_FILES.contains(key)) {
                TreeSet<String> known = new TreeSet<>();
                spec.options().forEach(o -> known.add(o.longestName().replaceFirst("^--", "")));
                known.removeAll(NOT_IN_FILES);
                throw new InvalidInputException(
                        "config file " + file + " has an unknown key '" + key + "'; known keys: " + String.join(", ", known));
            }
            Object value = e.getValue();
            if (option.isMultiValue() && value instanceof List<?> list) {
                // A YAML list for an option that takes several values, e.g. schemes: [fl, sflv1]
                value = String.join(",", list.stream().map(String::valueOf).toList());
            }
            Object single = value;
            String text = Settings.find(key).map(setting -> {
                try {
                    String checked = setting.text(single);
                    if (setting.kind() != Setting.Kind.TEXT) {
                        setting.parse(checked);
                    }
                    return checked;
                } catch (InvalidInputException wrong) {
                    // Both sentences start with the key: "clients must be a whole number, got 'x'".
                    throw new InvalidInputException(
                            "config file " + file + ": key '" + key + "'" + wrong.getMessage().substring(key.length()), wrong);
                }
            }).orElseGet(() -> checkType(file, key, single, option.type()));
            values.put(option.longestName(), text);
        }
        return new ConfigFile(values);
    }

    private static String checkType(Path file, String key, Object value, Class<?> type) {
        if (value == null || value instanceof Map || value instanceof List) {
            throw new InvalidInputException(
                    "config file " + file + ": key '" + key + "' needs a single " + typeName(type) + " value");
        }
        boolean ok;
        if (type == int.class || type == Integer.class) {
            ok = value instanceof Integer;
        } else if (type == long.class || type == Long.class) {
            ok = value instanceof Integer || value instanceof Long;
        } else if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            ok = value instanceof Number;
        } else if (type == boolean.class || type == Boolean.class) {
            ok = value instanceof Boolean;
        } else {
            ok = !(value instanceof Boolean);
        }
        if (!ok) {
            throw new InvalidInputException(
                    "config file " + file + ": key '" + key + "' must be " + typeName(type) + ", got '" + value + "'");
        }
        return String.valueOf(value);
    }

    private static String typeName(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        return "a text";
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec argSpec) {
        return argSpec instanceof OptionSpec option ? values.get(option.longestName()) : null;
    }
}
