package dev.splitfed.scheme;

import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text that names settings as {@code {key}}, such as a refusal or a setting's description, worded
 * for its reader: by key in the core ({@code async}), as flags on the command line
 * ({@code --async}). Only the names of settings (and of a deployed role's own options) are words;
 * other braces, such as in a value the user typed, stay as they are.
 */
public final class SettingReferences {

    private static final Pattern REFERENCE = Pattern.compile("\\{([a-z][a-z0-9-]*)}");

    /** Names given in braces that are no run setting: a deployed role's own options. */
    private static final Set<String> DEPLOYMENT_NAMES =
            Set.of("vocabulary", "server", "main-server", "client-index", "min-clients", "role", "transport");

    private SettingReferences() {}

    /**
     * Returns the text with every setting it names worded by {@code wording}.
     *
     * @param text e.g. {@code "{async} cannot go with {deadline}"}
     * @param wording e.g. {@code k -> "--" + k}
     * @return e.g. {@code "--async cannot go with --deadline"}
     */
    public static String word(String text, Function<String, String> wording) {
        if (text == null) {
            return null;
        }
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            boolean known = Settings.find(name).isPresent() || DEPLOYMENT_NAMES.contains(name);
            m.appendReplacement(out, Matcher.quoteReplacement(known ? wording.apply(name) : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Returns the text with every setting it names worded as the command line's flag.
     *
     * @param text the text
     * @return the text with {@code --key} for {@code {key}}
     */
    public static String asFlags(String text) {
        return word(text, key -> "--" + key);
    }
}
