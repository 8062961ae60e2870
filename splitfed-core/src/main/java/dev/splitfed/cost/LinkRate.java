package dev.splitfed.cost;

import dev.splitfed.InvalidInputException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A network link's rate, parsed from text such as {@code 100Mbit/s}, {@code 1Gbit/s},
 * {@code 12.5MB/s} or {@code 500kbit/s} (decimal prefixes, as link rates are quoted).
 *
 * @param bitsPerSecond the rate
 */
public record LinkRate(double bitsPerSecond) {

    private static final Pattern FORMAT =
            Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt]?)(bit|b)(?:/s|ps)", Pattern.CASE_INSENSITIVE);

    /** Checks the rate is positive and finite. */
    public LinkRate {
        if (!(bitsPerSecond > 0) || Double.isInfinite(bitsPerSecond)) {
            throw new InvalidInputException("a link rate must be positive, got " + bitsPerSecond + " bit/s");
        }
    }

    /**
     * Parses a rate.
     *
     * @param text e.g. {@code 100Mbit/s}
     * @return the rate
     * @throws InvalidInputException if the text is not a rate
     */
    public static LinkRate parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new InvalidInputException(
                    "'" + text + "' is not a link rate; write it like 100Mbit/s, 1Gbit/s, 500kbit/s or 12.5MB/s");
        }
        double value = Double.parseDouble(m.group(1));
        double scale = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 1e3;
            case "m" -> 1e6;
            case "g" -> 1e9;
            case "t" -> 1e12;
            default -> 1;
        };
        // Lower-case "b" alone is ambiguous in the wild; "bit" means bits, a bare "B" means bytes.
        boolean bytes = m.group(3).equals("B");
        return new LinkRate(value * scale * (bytes ? 8 : 1));
    }

    /**
     * Returns the seconds {@code bytes} take on this link.
     *
     * @param bytes payload bytes
     * @return seconds
     */
    public double seconds(long bytes) {
        return bytes * 8.0 / bitsPerSecond;
    }
}
