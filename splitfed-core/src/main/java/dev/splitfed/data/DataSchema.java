package dev.splitfed.data;

import dev.splitfed.internal.digest.Sha256;
import dev.splitfed.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * What a deployed client needs to read its own files as the run reads the server's: a table's
 * feature columns, categories and standardisation statistics, an image folder's class names, size
 * and normalisation, a character vocabulary. The data set's provider writes it from the training
 * split ({@link DataSplit#schema()}) and reads a client's files with it
 * ({@link DatasetProvider#loadOwn}); the server sends it to each client at join, and a client
 * that was given one checks its {@link #digest()}.
 *
 * @param dataset the data set's name, e.g. {@code csv}
 * @param text the provider's description, JSON for the built-in providers; at most {@link #MAX_CHARS}
 */
public record DataSchema(String dataset, String text) {

    /** The longest schema a run sends or accepts: 1 Mi characters, so that it fits in a join's reply. */
    public static final int MAX_CHARS = 1 << 20;

    /**
     * Checks the parts.
     *
     * @throws InvalidInputException if the text is longer than {@link #MAX_CHARS}
     */
    public DataSchema {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_CHARS) {
            throw new InvalidInputException("a data schema of " + text.length() + " characters is longer than the "
                    + MAX_CHARS + " a run accepts");
        }
    }

    /**
     * Returns the SHA-256 of the data set's name and the text, in hexadecimal.
     *
     * @return 64 hexadecimal digits
     */
    public String digest() {
        MessageDigest sha = Sha256.newDigest();
        sha.update(dataset.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        return Sha256.finish(sha);
    }
}
