package dev.splitfed;

import dev.splitfed.scheme.SettingReferences;
import java.util.function.Function;

/**
 * Thrown when a value that came from a user, a file or the network is not acceptable.
 *
 * <p>The message is one sentence that names the value and says what was expected; front ends
 * show it as it is (the CLI exits with status 2) and never print a stack trace for it. A message
 * may name settings as {@code {key}}, e.g. {@code "{async} cannot go with {deadline}"}:
 * {@link #getMessage()} speaks of the settings by key ({@code async cannot go with deadline}),
 * and a front end words them its own way with {@link #message(Function)} (the CLI as flags,
 * {@code --async}).
 */
public class InvalidInputException extends RuntimeException {

    private final String template;

    /**
     * Creates the exception.
     *
     * @param message one sentence naming the bad value and what was expected; settings as {@code {key}}
     */
    public InvalidInputException(String message) {
        super(render(message, Function.identity()));
        this.template = message;
    }

    /**
     * Creates the exception with the low-level cause kept for debugging.
     *
     * @param message one sentence naming the bad value and what was expected; settings as {@code {key}}
     * @param cause the underlying failure
     */
    public InvalidInputException(String message, Throwable cause) {
        super(render(message, Function.identity()), cause);
        this.template = message;
    }

    /**
     * Returns the message with every setting it names worded by {@code wording}.
     *
     * @param wording turns a setting's key into what the reader knows it as, e.g. {@code k -> "--" + k}
     * @return the message
     */
    public String message(Function<String, String> wording) {
        return render(template, wording);
    }

    /**
     * Returns this refusal with where the value came from in front, keeping the settings it names.
     *
     * @param context e.g. {@code "config file runs/a/config.yaml: "}
     * @return a new exception whose cause is this one
     */
    public InvalidInputException withContext(String context) {
        return new InvalidInputException(context.replace("{", "(").replace("}", ")") + template, this);
    }

    private static String render(String template, Function<String, String> wording) {
        return SettingReferences.word(template, wording);
    }
}
