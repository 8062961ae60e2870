package dev.splitfed.scheme;

import dev.splitfed.InvalidInputException;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One setting of a run, defined once: its key, the kind of value it takes, its default, how its
 * text form is read and written, its check, and the line that documents it. The command line's
 * options, the {@code --config} YAML file, a run's {@code config.yaml}, the settings a server sends
 * to the clients that join it, and the option tables of the docs are all derived from
 * {@link Settings#ALL}.
 *
 * @param <T> the type of the value
 */
public final class Setting<T> {

    /** Where a setting is listed in help and docs. */
    public enum Group {
        /** What is trained on. */
        DATA("Data"),
        /** The network and its cut. */
        MODEL("Model"),
        /** The clients' local training. */
        TRAINING("Training"),
        /** Rounds, clients and what the servers do with their work. */
        FEDERATION("Federation"),
        /** Differential privacy, secure aggregation and noise at the cut. */
        PRIVACY("Privacy"),
        /** Byzantine-robust aggregation and simulated attacks. */
        ROBUSTNESS("Robustness"),
        /** Simulated device speeds, links, deadlines and asynchronous aggregation. */
        HETEROGENEITY("Heterogeneity"),
        /** How tensors are encoded on the wire. */
        COMPRESSION("Compression");

        private final String title;

        Group(String title) {
            this.title = title;
        }

        /** Returns the heading, e.g. {@code Data}. */
        public String title() {
            return title;
        }
    }

    /** What a value must look like in a YAML file: the YAML type that is accepted. */
    public enum Kind {
        /** A whole number. */
        INTEGER("a whole number"),
        /** Any number. */
        NUMBER("a number"),
        /** {@code true} or {@code false}. */
        BOOLEAN("true or false"),
        /** A text such as a spec ({@code dirichlet:0.5}) or a name. */
        TEXT("a text");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        /** Returns what a value of this kind is, e.g. {@code a whole number}. */
        public String description() {
            return description;
        }
    }

    private final String key;
    private final Group group;
    private final Kind kind;
    private final String label;
    private final String description;
    private final String example;
    private final T defaultValue;
    private final String defaultText;
    private final Function<String, T> parser;
    private final Function<T, Object> recorder;
    private final BiConsumer<SimulationConfig.Builder, T> setter;
    private final Function<SimulationConfig, T> getter;
    private final Predicate<SimulationConfig> recorded;
    private final String noneText;

    private Setting(Definition<T> d) {
        this.key = Objects.requireNonNull(d.key, "key");
        this.group = Objects.requireNonNull(d.group, "group");
        this.kind = Objects.requireNonNull(d.kind, "kind");
        this.label = Objects.requireNonNull(d.label, "label");
        this.description = Objects.requireNonNull(d.description, "description");
        this.example = Objects.requireNonNull(d.example, "example");
        this.defaultValue = d.defaultValue;
        this.defaultText = d.defaultText != null ? d.defaultText
                : d.defaultValue == null ? null : String.valueOf(d.recorder.apply(d.defaultValue));
        this.parser = Objects.requireNonNull(d.parser, "parser");
        this.recorder = Objects.requireNonNull(d.recorder, "recorder");
        this.setter = Objects.requireNonNull(d.setter, "setter");
        this.getter = Objects.requireNonNull(d.getter, "getter");
        this.recorded = d.recorded;
        this.noneText = d.noneText;
    }

    /** Returns the key: the option name without dashes and the YAML key, e.g. {@code local-epochs}. */
    public String key() {
        return key;
    }

    /** Returns where the setting is listed. */
    public Group group() {
        return group;
    }

    /** Returns the kind of value a YAML file must give. */
    public Kind kind() {
        return kind;
    }

    /** Returns the placeholder of the value in help texts, e.g. {@code K}. */
    public String label() {
        return label;
    }

    /** Returns the one-line description, a sentence or two, naming other settings by key. */
    public String description() {
        return description(Function.identity());
    }

    /**
     * Returns the description with the other settings it names worded by {@code wording}.
     *
     * @param wording e.g. {@code k -> "--" + k} for the command line
     * @return the description
     */
    public String description(Function<String, String> wording) {
        return SettingReferences.word(description, wording);
    }

    /** Returns an example value, e.g. {@code dirichlet:0.1}. */
    public String example() {
        return example;
    }

    /**
     * Returns the default value; null when there is none (the setting is off) or when it depends
     * on other settings ({@link #defaultText()} says how).
     */
    public T defaultValue() {
        return defaultValue;
    }

    /**
     * Returns the default as the docs state it, e.g. {@code 5} or
     * {@code 0.5 for next-word with sgd, else 0.01}; null for a switch that is off by default.
     */
    public String defaultText() {
        return defaultText;
    }

    /** Returns whether the setting is a switch: given alone it means {@code true}. */
    public boolean isSwitch() {
        return kind == Kind.BOOLEAN;
    }

    /**
     * Reads a value from its text form, as the command line, a YAML file or a server gives it.
     *
     * @param text the text, e.g. {@code dirichlet:0.5}
     * @return the value
     * @throws InvalidInputException naming this setting if the text is not a valid value
     */
    public T parse(String text) {
        Objects.requireNonNull(text, key);
        try {
            return parser.apply(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("{" + key + "} must be " + kind.description() + ", got '" + text.strip() + "'");
        } catch (IllegalArgumentException e) {
            // e.g. a path with a NUL character, which Path.of refuses
            throw new InvalidInputException("{" + key + "} cannot be '" + text.strip() + "': " + e.getMessage(), e);
        }
    }

    /**
     * Returns a value as text after checking that it is of this setting's kind: a text as it is, or
     * a number or boolean such as a YAML or JSON file gives.
     *
     * @param value the value
     * @return its text form, for {@link #parse}
     * @throws InvalidInputException naming this setting if the value is of another kind or not single
     */
    public String text(Object value) {
        if (value == null || value instanceof java.util.Map || value instanceof java.util.List) {
            throw new InvalidInputException("{" + key + "} needs a single value: " + kind.description());
        }
        if (!(value instanceof String)) {
            boolean fits = switch (kind) {
                case INTEGER -> value instanceof Integer || value instanceof Long;
                case NUMBER -> value instanceof Number;
                case BOOLEAN -> value instanceof Boolean;
                case TEXT -> !(value instanceof Boolean);
            };
            if (!fits) {
                throw new InvalidInputException("{" + key + "} must be " + kind.description() + ", got '" + value + "'");
            }
        }
        return String.valueOf(value);
    }

    /**
     * Sets this setting on a builder from its text form.
     *
     * @param builder the builder
     * @param text the text
     * @throws InvalidInputException if the text is not a valid value
     */
    public void apply(SimulationConfig.Builder builder, String text) {
        setter.accept(builder, parse(text));
    }

    /**
     * Returns the setting's value in a configuration.
     *
     * @param config the configuration
     * @return the value
     */
    public T value(SimulationConfig config) {
        return getter.apply(config);
    }

    /**
     * Returns the value as a run records it in {@code config.yaml} and sends it to its clients: a
     * number, a boolean or a text that {@link #parse} reads back; null when the configuration does
     * not record this setting (it is off, or irrelevant to the run).
     *
     * @param config the configuration
     * @return the recorded value, or null
     */
    public Object recordedValue(SimulationConfig config) {
        if (recorded != null && !recorded.test(config)) {
            return null;
        }
        T value = getter.apply(config);
        return value == null ? noneText : recorder.apply(value);
    }

    @Override
    public String toString() {
        return key;
    }

    /**
     * Starts the definition of a setting.
     *
     * @param key the key
     * @param group the group
     * @param kind the kind of value
     * @param <T> the type of value
     * @return the definition
     */
    static <T> Definition<T> define(String key, Group group, Kind kind) {
        return new Definition<>(key, group, kind);
    }

    /** A setting being defined, in {@link Settings}. */
    static final class Definition<T> {
        private final String key;
        private final Group group;
        private final Kind kind;
        private String label;
        private String description;
        private String example;
        private T defaultValue;
        private String defaultText;
        private Function<String, T> parser;
        private Function<T, Object> recorder = Function.identity()::apply;
        private BiConsumer<SimulationConfig.Builder, T> setter;
        private Function<SimulationConfig, T> getter;
        private Predicate<SimulationConfig> recorded;
        private String noneText;

        private Definition(String key, Group group, Kind kind) {
            this.key = key;
            this.group = group;
            this.kind = kind;
        }

        Definition<T> label(String label) {
            this.label = label;
            return this;
        }

        Definition<T> describe(String description, String example) {
            this.description = description;
            this.example = example;
            return this;
        }

        Definition<T> byDefault(T defaultValue) {
            this.defaultValue = defaultValue;
            return this;
        }

        Definition<T> defaultText(String defaultText) {
            this.defaultText = defaultText;
            return this;
        }

        Definition<T> parse(Function<String, T> parser) {
            this.parser = parser;
            return this;
        }

        Definition<T> record(Function<T, Object> recorder) {
            this.recorder = recorder;
            return this;
        }

        Definition<T> bind(BiConsumer<SimulationConfig.Builder, T> setter, Function<SimulationConfig, T> getter) {
            this.setter = setter;
            this.getter = getter;
            return this;
        }

        Definition<T> recordedWhen(Predicate<SimulationConfig> recorded) {
            this.recorded = recorded;
            return this;
        }

        /** Records a setting that is off as {@code none}, rather than leaving it out. */
        Definition<T> recordNone() {
            this.noneText = "none";
            return this;
        }

        Setting<T> build() {
            return new Setting<>(this);
        }
    }
}
