package dev.splitfed.cli;

import java.util.Locale;

/** Formats byte counts with decimal prefixes (kB = 10^3 B, MB = 10^6 B), as link rates are quoted. */
final class ByteUnits {

    private ByteUnits() {}

    static String format(double bytes) {
        if (bytes >= 1e9) {
            return String.format(Locale.ROOT, "%.3f GB", bytes / 1e9);
        }
        if (bytes >= 1e6) {
            return String.format(Locale.ROOT, "%.3f MB", bytes / 1e6);
        }
        if (bytes >= 1e3) {
            return String.format(Locale.ROOT, "%.3f kB", bytes / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f B", bytes);
    }
}
