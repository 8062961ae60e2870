package dev.splitfed.internal.data;

/**
 * Scales each feature column to mean 0 and standard deviation 1, using statistics of one data set.
 *
 * <p>Fit it on the training split only and apply it to both splits, so nothing about the test
 * samples leaks into training. The standard deviation is the population one (divide by n), as in
 * scikit-learn's {@code StandardScaler}; a column whose values are all equal is only centred, not
 * divided by its zero deviation.
 */
public final class Standardizer {

    private final double[] mean;
    private final double[] std;

    private Standardizer(double[] mean, double[] std) {
        this.mean = mean;
        this.std = std;
    }

    /**
     * Computes each column's mean and standard deviation.
     *
     * @param features row-major rows of {@code featureSize} floats, at least one row
     * @param featureSize the number of columns
     * @return the fitted standardizer
     */
    public static Standardizer fit(float[] features, int featureSize) {
        if (featureSize < 1 || features.length == 0 || features.length % featureSize != 0) {
            throw new IllegalArgumentException(
                    "features must hold at least one row of " + featureSize + " floats, not "
                            + features.length + " floats");
        }
        int rows = features.length / featureSize;
        double[] mean = new double[featureSize];
        for (int i = 0; i < features.length; i++) {
            mean[i % featureSize] += features[i];
        }
        for (int j = 0; j < featureSize; j++) {
            mean[j] /= rows;
        }
        // Two passes rather than sum-of-squares: no cancellation when the mean dwarfs the spread.
        double[] std = new double[featureSize];
        for (int i = 0; i < features.length; i++) {
            double d = features[i] - mean[i % featureSize];
            std[i % featureSize] += d * d;
        }
        for (int j = 0; j < featureSize; j++) {
            std[j] = Math.sqrt(std[j] / rows);
        }
        return new Standardizer(mean, std);
    }

    /**
     * Returns standardised copies of the rows.
     *
     * @param features row-major rows with as many columns as the fitted data
     * @return a new array of {@code (x - mean) / std} per column ({@code x - mean} where std is 0)
     */
    public float[] transform(float[] features) {
        if (features.length % mean.length != 0) {
            throw new IllegalArgumentException(
                    "features must hold rows of " + mean.length + " floats, not "
                            + features.length + " floats");
        }
        float[] out = new float[features.length];
        for (int i = 0; i < features.length; i++) {
            int j = i % mean.length;
            double centred = features[i] - mean[j];
            out[i] = (float) (std[j] == 0 ? centred : centred / std[j]);
        }
        return out;
    }

    /** Returns the number of columns. */
    public int featureSize() {
        return mean.length;
    }

    /** Returns the mean of column {@code j} in the fitted data. */
    public double mean(int j) {
        return mean[j];
    }

    /** Returns the population standard deviation of column {@code j} in the fitted data. */
    public double std(int j) {
        return std[j];
    }
}
