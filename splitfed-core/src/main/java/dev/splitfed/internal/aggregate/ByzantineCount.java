package dev.splitfed.internal.aggregate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many Byzantine updates f a distance-based rule assumes in a round. Krum needs
 * {@code n >= 2f + 3} updates and Bulyan {@code n >= 4f + 3}; without an f from the user, a round
 * assumes the largest its n tolerates. A round with fewer updates than an asked f needs (a client
 * dropped out) assumes the largest f it does tolerate, and says so in a warning; below three updates
 * no rule can tell an honest update from a Byzantine one, and the round falls back to the
 * coordinate-wise median (the update itself for one, the mean for two), also with a warning.
 */
public final class ByzantineCount {

    private static final Logger LOG = LoggerFactory.getLogger(ByzantineCount.class);

    private final String rule;
    private final Integer asked;
    private final int perByzantine;

    /**
     * Creates the count.
     *
     * @param rule the rule's name, for the warning
     * @param asked f as the user gave it, {@code >= 0}, or null for the largest the round tolerates
     * @param perByzantine k in the rule's requirement {@code n >= k f + 3}
     */
    ByzantineCount(String rule, Integer asked, int perByzantine) {
        if (asked != null && asked < 0) {
            throw new IllegalArgumentException("f must be >= 0, got " + asked);
        }
        this.rule = rule;
        this.asked = asked;
        this.perByzantine = perByzantine;
    }

    /**
     * Returns the largest f a round of {@code n} updates tolerates.
     *
     * @param n the number of updates
     * @param perByzantine k in {@code n >= k f + 3}
     * @return {@code floor((n - 3) / k)}, negative below three updates
     */
    static int largest(int n, int perByzantine) {
        return Math.floorDiv(n - 3, perByzantine);
    }

    /**
     * Returns the updates a round needs for f.
     *
     * @param f the Byzantine updates assumed
     * @param perByzantine k in {@code n >= k f + 3}
     * @return {@code k f + 3}
     */
    public static int needed(int f, int perByzantine) {
        return perByzantine * f + 3;
    }

    /**
     * Returns the f a round of {@code n} updates assumes, or -1 when the round must fall back to
     * the coordinate-wise median.
     *
     * @param n the round's updates
     * @return f, or -1
     */
    int forRound(int n) {
        int most = largest(n, perByzantine);
        if (most < 0) {
            LOG.warn("{} needs at least 3 updates, the round has {}: it takes their coordinate-wise median", rule, n);
            return -1;
        }
        if (asked == null) {
            return most;
        }
        if (asked > most) {
            LOG.warn("{} with f = {} needs {} updates, the round has {}: it assumes f = {}",
                    rule, asked, needed(asked, perByzantine), n, most);
            return most;
        }
        return asked;
    }
}
