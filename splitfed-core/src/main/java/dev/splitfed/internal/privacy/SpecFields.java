package dev.splitfed.internal.privacy;

import dev.splitfed.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The {@code key=value,key=value} fields of a mechanism's command-line spec, checked as they are read. */
public final class SpecFields {

    private final String flag;
    private final String spec;
    private final Map<String, String> values = new LinkedHashMap<>();

    private SpecFields(String flag, String spec) {
        this.flag = flag;
        this.spec = spec;
    }

    /**
     * Splits a spec into its fields.
     *
     * @param flag the option it came from, for messages, e.g. {@code --dp-sgd}
     * @param spec e.g. {@code noise=1.1,clip=1}; blank for no fields
     * @param known the keys allowed
     * @return the fields
     * @throws InvalidInputException on an unknown, repeated or malformed field
     */
    public static SpecFields parse(String flag, String spec, Set<String> known) {
        SpecFields fields = new SpecFields(flag, spec.strip());
        if (fields.spec.isEmpty()) {
            return fields;
        }
        for (String part : fields.spec.split(",", -1)) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? part.strip() : part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            if (eq < 0 || !known.contains(key)) {
                throw new InvalidInputException(
                        flag + " '" + spec + "' has a field '" + part.strip() + "'; expected KEY=VALUE with KEY one of "
                                + String.join(", ", known));
            }
            if (fields.values.put(key, part.substring(eq + 1).strip()) != null) {
                throw new InvalidInputException(flag + " '" + spec + "' gives " + key + " twice");
            }
        }
        return fields;
    }

    /** Returns whether the field is present. */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** Returns the raw value of a field, or {@code fallback} if absent. */
    public String text(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    /**
     * Returns a required field as a positive finite number.
     *
     * @throws InvalidInputException if it is absent, not a number, or not positive
     */
    public double positive(String key) {
        if (!has(key)) {
            throw new InvalidInputException(flag + " '" + spec + "' lacks " + key + "=VALUE");
        }
        return positive(key, Double.NaN);
    }

    /**
     * Returns an optional field as a positive finite number.
     *
     * @throws InvalidInputException if it is present but not a positive number
     */
    public double positive(String key, double fallback) {
        String raw = values.get(key);
        if (raw == null) {
            return fallback;
        }
        double value = number(raw);
        if (!(value > 0 && Double.isFinite(value))) {
            throw new InvalidInputException(flag + " " + key + " must be a positive number, got '" + raw + "'");
        }
        return value;
    }

    /**
     * Returns an optional field as a number in {@code [0, 1)}.
     *
     * @throws InvalidInputException if it is present but not such a number
     */
    public double fraction(String key, double fallback) {
        String raw = values.get(key);
        if (raw == null) {
            return fallback;
        }
        double value = number(raw);
        if (!(value >= 0 && value < 1)) {
            throw new InvalidInputException(flag + " " + key + " must be a number in [0, 1), got '" + raw + "'");
        }
        return value;
    }

    /** Returns {@code raw} as a number, NaN if it is none (which every range check refuses). */
    private static double number(String raw) {
        try {
            return Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
