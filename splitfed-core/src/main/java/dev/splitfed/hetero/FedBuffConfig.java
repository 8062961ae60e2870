package dev.splitfed.hetero;

import dev.splitfed.InvalidInputException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Settings of asynchronous buffered aggregation (FedBuff; Nguyen et al. 2022, "Federated Learning
 * with Buffered Asynchronous Aggregation", AISTATS): {@code buffer=K[,concurrency=C][,lr=ETA]}.
 *
 * @param buffer K, the updates the server collects before it takes a step, {@code >= 1}
 * @param concurrency C, the clients training at any time, {@code >= 1}; 0 for all clients
 * @param lr eta, the server learning rate, {@code > 0}
 */
public record FedBuffConfig(int buffer, int concurrency, double lr) {

    /** Checks the values. */
    public FedBuffConfig {
        if (buffer < 1) {
            throw new InvalidInputException("async buffer must be at least 1, got " + buffer);
        }
        if (concurrency < 0) {
            throw new InvalidInputException("async concurrency must be at least 1 (or left out for all clients), got "
                    + concurrency);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new InvalidInputException("async lr must be a finite number > 0, got " + lr);
        }
    }

    /**
     * Parses {@code buffer=K[,concurrency=C][,lr=ETA]}.
     *
     * @param spec the text
     * @return the settings
     * @throws InvalidInputException if the text does not have that form
     */
    public static FedBuffConfig parse(String spec) {
        Integer buffer = null;
        int concurrency = 0;
        double lr = 1;
        Set<String> seen = new HashSet<>();
        for (String part : spec.strip().split(",")) {
            String[] kv = part.split("=", 2);
            String key = kv[0].strip().toLowerCase(Locale.ROOT);
            if (kv.length != 2) {
                throw bad(spec);
            }
            if (!seen.add(key)) {
                throw new InvalidInputException("async '" + spec + "' gives " + key + " twice");
            }
            try {
                switch (key) {
                    case "buffer" -> buffer = Integer.parseInt(kv[1].strip());
                    case "concurrency" -> concurrency = Integer.parseInt(kv[1].strip());
                    case "lr" -> lr = Double.parseDouble(kv[1].strip());
                    default -> throw bad(spec);
                }
            } catch (NumberFormatException e) {
                throw bad(spec);
            }
        }
        if (buffer == null) {
            throw bad(spec);
        }
        return new FedBuffConfig(buffer, concurrency, lr);
    }

    private static InvalidInputException bad(String spec) {
        return new InvalidInputException("async '" + spec + "' is not understood; expected buffer=K[,concurrency=C][,lr=ETA], "
                + "e.g. buffer=5 or buffer=3,concurrency=6,lr=1");
    }

    /** Returns the spec this was parsed from, in canonical form. */
    public String spec() {
        return "buffer=" + buffer + (concurrency > 0 ? ",concurrency=" + concurrency : "") + ",lr=" + lr;
    }

    /**
     * Returns FedBuff's staleness weight {@code s(tau) = 1 / sqrt(1 + tau)} (Nguyen et al. 2022,
     * Section 5) for an update computed from weights {@code tau} server steps old.
     *
     * @param tau the staleness, {@code >= 0}
     * @return the weight, in {@code (0, 1]}
     */
    public static double staleness(long tau) {
        if (tau < 0) {
            throw new IllegalArgumentException("staleness must be >= 0, got " + tau);
        }
        return 1 / Math.sqrt(1 + tau);
    }
}
