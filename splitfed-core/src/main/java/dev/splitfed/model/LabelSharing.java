package dev.splitfed.model;

import dev.splitfed.InvalidInputException;
import java.util.Locale;

/**
 * Whether the clients of a split scheme send their labels to the main server.
 *
 * <p>{@link #SHARED}: the main server holds every layer after the cut and computes the loss, so
 * each batch of smashed data travels with its labels. {@link #PRIVATE}: the U-shaped split of
 * Vepakomma et al. 2018 ("Split learning for health", the configuration without label sharing),
 * as Thapa et al. 2022 carry it over to SplitFed: the client also keeps the last stage (the head),
 * the loss and the labels, and the main server holds only the middle.
 */
public enum LabelSharing {
    /** Labels go to the main server with the smashed data. */
    SHARED,
    /** Labels stay with the client, which keeps the head: the U-shaped split. */
    PRIVATE;

    /** Returns the name used on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Returns the mode named {@code id}.
     *
     * @param id {@code shared} or {@code private}
     * @return the mode
     * @throws InvalidInputException if no mode has that name
     */
    public static LabelSharing parse(String id) {
        for (LabelSharing s : values()) {
            if (s.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new InvalidInputException("unknown labels '" + id + "'; expected shared or private");
    }
}
