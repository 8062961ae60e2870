package dev.splitfed.internal.data;

import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * A seeded split of sample indices into a chosen part and the rest that keeps each class's share.
 *
 * <p>Within each class a uniformly random subset of the asked size is chosen; both parts list
 * their indices in ascending order, so samples keep their original order within each class.
 *
 * @param chosen the chosen sample indices, ascending
 * @param rest the other sample indices, ascending
 */
public record StratifiedSplit(int[] chosen, int[] rest) {

    /**
     * Chooses {@code perClass[c]} samples of each class {@code c}.
     *
     * @param labels one label per sample, each in {@code [0, perClass.length)}
     * @param perClass how many samples of each class to choose
     * @param seed seeds the choice
     * @return the chosen samples and the rest
     * @throws IllegalArgumentException if a class has fewer samples than asked for
     */
    public static StratifiedSplit ofCounts(int[] labels, int[] perClass, long seed) {
        int[][] byClass = indicesByClass(labels, perClass.length);
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        boolean[] isChosen = new boolean[labels.length];
        for (int c = 0; c < perClass.length; c++) {
            if (perClass[c] < 0 || perClass[c] > byClass[c].length) {
                throw new IllegalArgumentException(
                        "class " + c + " has " + byClass[c].length + " samples, cannot choose "
                                + perClass[c]);
            }
            PermutationSampler.shuffle(rng, byClass[c]);
            for (int j = 0; j < perClass[c]; j++) {
                isChosen[byClass[c][j]] = true;
            }
        }
        int chosenCount = Arrays.stream(perClass).sum();
        int[] chosen = new int[chosenCount];
        int[] rest = new int[labels.length - chosenCount];
        int a = 0;
        int b = 0;
        for (int i = 0; i < labels.length; i++) {
            if (isChosen[i]) {
                chosen[a++] = i;
            } else {
                rest[b++] = i;
            }
        }
        return new StratifiedSplit(chosen, rest);
    }

    /**
     * Chooses {@code round(fraction * n_c)} samples of each class {@code c} that has {@code n_c}.
     *
     * @param labels one label per sample, each in {@code [0, numClasses)}
     * @param numClasses the number of classes
     * @param fraction the share of each class to choose, in {@code [0, 1]}
     * @param seed seeds the choice
     * @return the chosen samples and the rest
     */
    public static StratifiedSplit ofFraction(int[] labels, int numClasses, double fraction, long seed) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in [0, 1], not " + fraction);
        }
        int[] perClass = new int[numClasses];
        int[] counts = classCounts(labels, numClasses);
        for (int c = 0; c < numClasses; c++) {
            perClass[c] = (int) Math.round(fraction * counts[c]);
        }
        return ofCounts(labels, perClass, seed);
    }

    /**
     * Returns the sample indices of each class, ascending.
     *
     * @param labels one label per sample, each in {@code [0, numClasses)}
     * @param numClasses the number of classes
     * @return {@code numClasses} arrays of indices
     */
    static int[][] indicesByClass(int[] labels, int numClasses) {
        int[] counts = classCounts(labels, numClasses);
        int[][] byClass = new int[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            byClass[c] = new int[counts[c]];
        }
        int[] filled = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            byClass[labels[i]][filled[labels[i]]++] = i;
        }
        return byClass;
    }

    private static int[] classCounts(int[] labels, int numClasses) {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException("label " + label + " is outside [0, " + numClasses + ")");
            }
            counts[label]++;
        }
        return counts;
    }
}
