package dev.splitfed;

/**
 * Thrown when a value that came from a user, a file or the network is not acceptable.
 *
 * <p>The message is one sentence that names the value and says what was expected; front ends
 * show it as it is (the CLI exits with status 2) and never print a stack trace for it.
 */
public class InvalidInputException extends RuntimeException {

    /**
     * Creates the exception.
     *
     * @param message one sentence naming the bad value and what was expected
     */
    public InvalidInputException(String message) {
        super(message);
    }

    /**
     * Creates the exception with the low-level cause kept for debugging.
     *
     * @param message one sentence naming the bad value and what was expected
     * @param cause the underlying failure
     */
    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
