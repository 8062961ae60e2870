package dev.splitfed.cli;

import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.SettingReferences;
import dev.splitfed.scheme.Setting;
import dev.splitfed.scheme.Settings;
import dev.splitfed.scheme.SimulationConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The run settings as command-line options, derived from the settings schema ({@link Settings}):
 * one option per setting, named {@code --KEY}, described by the setting's own line. Every command's
 * help lists its options under topic headings.
 */
final class SettingsOptions {

    /** Headings of options that are no run setting, by option name. */
    private static final Map<String, String> OTHER_GROUPS = Map.ofEntries(
            Map.entry("--schemes", "Federation"), Map.entry("--target", "Output"), Map.entry("--out", "Output"),
            Map.entry("--resume", "Output"), Map.entry("--config", "Output"), Map.entry("--quiet", "Output"),
            Map.entry("--transport", "Transport"), Map.entry("--insecure", "Transport"),
            Map.entry("--certs", "Transport"), Map.entry("--server", "Transport"), Map.entry("--port", "Transport"),
            Map.entry("--role", "Transport"), Map.entry("--main-server", "Transport"),
            Map.entry("--min-clients", "Federation"), Map.entry("--round-timeout", "Federation"),
            Map.entry("--max-client-samples", "Federation"),
            Map.entry("--rate", "Heterogeneity"), Map.entry("--compute-seconds", "Heterogeneity"));

    /** The headings in the order help shows them; options under none of them come first. */
    private static final List<String> HEADINGS = headings();

    /** The settings {@code splitfed cost} takes: what is trained, and how the data are divided. */
    private static final Set<Setting<?>> SETUP = Set.of(Settings.DATASET, Settings.DATA_DIR, Settings.LIMIT,
            Settings.MODEL, Settings.CUT, Settings.CLIENTS, Settings.PARTITION, Settings.LOCAL_EPOCHS, Settings.SEED,
            Settings.BATCH_SIZE);

    private SettingsOptions() {}

    /** Adds every setting as an option ({@code simulate}, {@code server}). */
    static final class All implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            return install(spec, s -> true);
        }
    }

    /** Adds every setting but the scheme, which {@code compare} takes as a list. */
    static final class AllButScheme implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            return install(spec, s -> s != Settings.SCHEME);
        }
    }

    /** Adds the settings of what is trained and how the data are divided ({@code cost}). */
    static final class Setup implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            return install(spec, SETUP::contains);
        }
    }

    /** Adds no setting, only groups the help of a command's own options. */
    static final class GroupedHelp implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            return install(spec, s -> false);
        }
    }

    private static CommandSpec install(CommandSpec spec, Predicate<Setting<?>> which) {
        for (Setting<?> s : Settings.ALL) {
            if (which.test(s)) {
                spec.addOption(option(s));
            }
        }
        spec.usageMessage().abbreviateSynopsis(true);
        Map<String, CommandLine.IHelpSectionRenderer> sections = new LinkedHashMap<>(spec.usageMessage().sectionMap());
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, SettingsOptions::groupedOptions);
        spec.usageMessage().sectionMap(sections);
        return spec;
    }

    private static OptionSpec option(Setting<?> s) {
        OptionSpec.Builder b = OptionSpec.builder("--" + s.key())
                .paramLabel(s.label())
                .type(String.class)
                .showDefaultValue(Help.Visibility.NEVER)
                .userObject(s)
                // picocli formats a description, so a percent sign is written twice.
                .description(description(s).replace("%", "%%"));
        if (s.isSwitch()) {
            b.arity("0..1").fallbackValue("true");
        }
        return b.build();
    }

    /**
     * Returns an option's help line: the setting's description, its default and an example.
     *
     * @param s the setting
     * @return one paragraph
     */
    static String description(Setting<?> s) {
        String text = s.description(k -> "--" + k);
        if (s.defaultText() != null && !s.isSwitch()) {
            text += " Default: " + SettingReferences.asFlags(s.defaultText()) + ".";
        }
        return text + " Example: --" + s.key() + (s.isSwitch() ? "" : " " + s.example());
    }

    /**
     * Returns the settings given on the command line or in a {@code --config} file, by key.
     *
     * @param spec the command
     * @return key to text, for {@link SimulationConfig#fromSettings}
     */
    static Map<String, String> given(CommandSpec spec) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Setting<?> s : Settings.ALL) {
            String value = given(spec, s);
            if (value != null) {
                values.put(s.key(), value);
            }
        }
        return values;
    }

    /**
     * Returns the configuration the command's options describe, for one scheme.
     *
     * @param spec the command
     * @param scheme the scheme, or null for the one the options give
     * @return the checked configuration
     */
    static SimulationConfig config(CommandSpec spec, Scheme scheme) {
        Map<String, String> values = given(spec);
        if (scheme != null) {
            values.put(Settings.SCHEME.key(), scheme.id());
        }
        return SimulationConfig.fromSettings(values);
    }

    /**
     * Returns the value given for a setting, or null: not given, or the command has no option for
     * it (a command's own option of the same name, such as cost's list of codecs, is not the setting).
     */
    static String given(CommandSpec spec, Setting<?> setting) {
        OptionSpec option = spec.findOption("--" + setting.key());
        return option == null || option.userObject() != setting ? null : option.getValue();
    }

    private static List<String> headings() {
        List<String> out = new ArrayList<>();
        for (Setting.Group g : Setting.Group.values()) {
            out.add(g.title());
        }
        out.add("Output");
        out.add("Transport");
        return List.copyOf(out);
    }

    private static String heading(OptionSpec option) {
        String name = option.longestName();
        return Settings.find(name.replaceFirst("^--", "")).map(s -> s.group().title()).orElse(OTHER_GROUPS.get(name));
    }

    private static String groupedOptions(Help help) {
        Map<String, List<OptionSpec>> groups = new LinkedHashMap<>();
        groups.put(null, new ArrayList<>());
        HEADINGS.forEach(h -> groups.put(h, new ArrayList<>()));
        for (OptionSpec option : help.commandSpec().options()) {
            if (option.hidden()) {
                continue;
            }
            String h = option.usageHelp() || option.versionHelp() ? null : heading(option);
            groups.get(groups.containsKey(h) ? h : null).add(option);
        }
        StringBuilder out = new StringBuilder();
        groups.forEach((heading, options) -> {
            if (options.isEmpty()) {
                return;
            }
            Help.Layout layout = help.createDefaultLayout();
            options.forEach(o -> layout.addOption(o, help.createDefaultParamLabelRenderer()));
            out.append(String.format("%n%s:%n", heading == null ? "Options" : heading)).append(layout);
        });
        return out.toString();
    }
}
