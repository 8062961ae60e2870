package dev.splitfed.scheme;

import dev.splitfed.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the parties train together; see docs/design.md for the exact definitions. */
public enum Scheme {
    /** One party, the whole model, all the data. */
    CENTRAL,
    /** FedAvg: whole models trained locally, averaged by the fed server (McMahan et al. 2017). */
    FL,
    /** Vanilla split learning: clients in turn, W_C relayed, one W_S (Gupta and Raskar 2018). */
    SL,
    /** SplitFed V1: clients in parallel, W_C and per-client copies of W_S averaged (Thapa et al. 2022). */
    SFLV1,
    /** SplitFed V2: clients in parallel, W_C averaged, one W_S serving clients in a random order. */
    SFLV2;

    /** Returns the name used on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns true if the model is cut between clients and a main server. */
    public boolean isSplit() {
        return this == SL || this == SFLV1 || this == SFLV2;
    }

    /**
     * Returns the scheme named {@code id}.
     *
     * @param id e.g. {@code sflv1}
     * @return the scheme
     * @throws InvalidInputException if no scheme has that name
     */
    public static Scheme parse(String id) {
        for (Scheme s : values()) {
            if (s.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new InvalidInputException(
                "unknown scheme '" + id + "'; expected one of "
                        + Arrays.stream(values()).map(Scheme::id).collect(Collectors.joining(", ")));
    }
}
