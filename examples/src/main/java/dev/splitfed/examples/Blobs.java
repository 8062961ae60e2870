package dev.splitfed.examples;

import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A synthetic data set made in code: points in the plane drawn from Gaussian blobs, one blob per
 * class, their centres evenly spaced on a circle.
 *
 * <p>With three blobs of radius 3 and standard deviation 1 the centres are 5.2 apart, 2.6 standard
 * deviations from each decision boundary, so about 99% of points fall on their own class's side: a
 * model that learns anything reaches well over 90% accuracy.
 */
public final class Blobs {

    /** The data set's name, as runs record it. */
    public static final String NAME = "blobs";

    private final int classes;
    private final double radius;
    private final double sigma;

    /**
     * Describes the blobs.
     *
     * @param classes the number of blobs, {@code >= 2}
     * @param radius the distance of every centre from the origin, {@code > 0}
     * @param sigma the standard deviation of each coordinate around its centre, {@code > 0}
     */
    public Blobs(int classes, double radius, double sigma) {
        if (classes < 2 || !(radius > 0) || !(sigma > 0)) {
            throw new IllegalArgumentException("need classes >= 2, radius > 0 and sigma > 0, got "
                    + classes + ", " + radius + " and " + sigma);
        }
        this.classes = classes;
        this.radius = radius;
        this.sigma = sigma;
    }

    /**
     * Draws a training and a test set; the same arguments always give the same points.
     *
     * @param trainPerClass training points per blob
     * @param testPerClass test points per blob
     * @param seed seeds the draw
     * @return the two sets, each with sample shape {@code {2}}
     */
    public DataSplit split(int trainPerClass, int testPerClass, long seed) {
        Random rng = new Random(seed);
        return new DataSplit(draw(trainPerClass, rng), draw(testPerClass, rng), "generated (seed " + seed + ")", false);
    }

    private Dataset draw(int perClass, Random rng) {
        int n = perClass * classes;
        float[] features = new float[2 * n];
        int[] labels = new int[n];
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("blob-" + c);
        }
        // Classes interleave, so that any prefix (a run's limit) holds them all.
        for (int i = 0; i < n; i++) {
            int c = i % classes;
            double angle = 2 * Math.PI * c / classes;
            features[2 * i] = (float) (radius * Math.cos(angle) + sigma * rng.nextGaussian());
            features[2 * i + 1] = (float) (radius * Math.sin(angle) + sigma * rng.nextGaussian());
            labels[i] = c;
        }
        return new Dataset(NAME, features, labels, new int[] {2}, names);
    }
}
