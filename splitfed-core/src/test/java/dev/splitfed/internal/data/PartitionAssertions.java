package dev.splitfed.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

/** Checks shared by the partitioner tests. */
public final class PartitionAssertions {

    private PartitionAssertions() {}

    /** Asserts that every index in {@code [0, n)} appears in exactly one part, each part ascending and non-empty. */
    static void assertEverySampleExactlyOnce(int[][] parts, int n, int clients) {
        assertThat(parts).hasNumberOfRows(clients);
        int[] seen = new int[n];
        for (int[] part : parts) {
            assertThat(part).isNotEmpty().isSorted();
            for (int i : part) {
                seen[i]++;
            }
        }
        assertThat(seen).containsOnly(1);
    }

    /** Returns {@code n} labels in {@code [0, numClasses)} drawn from {@code seed}. */
    static int[] randomLabels(int n, int numClasses, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(numClasses);
        }
        return labels;
    }

    /** Returns {@code n} labels cycling through {@code 0 .. numClasses - 1}. */
    static int[] balancedLabels(int n, int numClasses) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % numClasses;
        }
        return labels;
    }
}
