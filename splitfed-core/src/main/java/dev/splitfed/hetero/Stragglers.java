package dev.splitfed.hetero;

import dev.splitfed.InvalidInputException;
import java.util.Locale;

/** What a synchronous round does with a client that cannot finish before the deadline. */
public enum Stragglers {
    /** Its work is discarded, as if it had disconnected. */
    DROP,
    /**
     * It hands in what it trained before the deadline, weighted by the samples it trained on
     * (partial work, as FedProx allows; Li et al. 2020, "Federated Optimization in Heterogeneous
     * Networks").
     */
    PARTIAL;

    /**
     * Parses {@code drop} or {@code partial}.
     *
     * @param text the text
     * @return the policy
     * @throws InvalidInputException if the text is neither
     */
    public static Stragglers parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "drop" -> DROP;
            case "partial" -> PARTIAL;
            default -> throw new InvalidInputException("stragglers '" + text + "' is not understood; expected drop or partial");
        };
    }

    /** Returns the name used on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
