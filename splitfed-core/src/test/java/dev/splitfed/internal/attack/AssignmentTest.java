package dev.splitfed.internal.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AssignmentTest {

    @Test
    void aHandMadeMatrixGetsItsBestMatching() {
        // Greedy would take 9 (row 0 -> column 0) and then 1 + 1; the best is 8 + 7 + 6 = 21.
        long[][] w = {
            {9, 8, 1},
            {7, 1, 1},
            {1, 1, 6},
        };
        assertThat(Assignment.maximise(w)).containsExactly(1, 0, 2);
    }

    @Test
    void theMatchingIsAsHeavyAsTheBestOfAllPermutations() {
        Random random = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(6);
            long[][] w = new long[n][n];
            for (long[] row : w) {
                for (int j = 0; j < n; j++) {
                    row[j] = random.nextInt(50) - 10;
                }
            }
            int[] match = Assignment.maximise(w);
            boolean[] seen = new boolean[n];
            long total = 0;
            for (int i = 0; i < n; i++) {
                assertThat(seen[match[i]]).as("a permutation").isFalse();
                seen[match[i]] = true;
                total += w[i][match[i]];
            }
            assertThat(total).isEqualTo(bestByEnumeration(w, 0, new boolean[n]));
        }
    }

    private static long bestByEnumeration(long[][] w, int row, boolean[] used) {
        if (row == w.length) {
            return 0;
        }
        long best = Long.MIN_VALUE;
        for (int j = 0; j < w.length; j++) {
            if (!used[j]) {
                used[j] = true;
                best = Math.max(best, w[row][j] + bestByEnumeration(w, row + 1, used));
                used[j] = false;
            }
        }
        return best;
    }
}
