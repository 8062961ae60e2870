package dev.splitfed.internal.attack;

/**
 * How close reconstructed inputs are to the originals: mean squared error, peak signal-to-noise
 * ratio and, for images, the mean structural similarity.
 *
 * @param mse mean squared error over every value of every sample
 * @param psnr {@code 10 log10(range^2 / mse)} in dB, or NaN when the data have no fixed range
 * @param ssim mean SSIM over samples and channels (Wang et al. 2004), or NaN for tabular data
 */
public record ReconstructionQuality(double mse, double psnr, double ssim) {

    // Wang, Bovik, Sheikh and Simoncelli 2004, "Image Quality Assessment: From Error Visibility to
    // Structural Similarity": K1 = 0.01, K2 = 0.03; a 7 x 7 window, as scikit-image's default.
    private static final double K1 = 0.01;
    private static final double K2 = 0.03;
    static final int WINDOW = 7;

    /**
     * Returns the quality of images with values in {@code [0, range]}.
     *
     * @param originals the true images, sample after sample
     * @param reconstructions the reconstructions, same layout
     * @param shape one image's shape: channels, height, width
     * @param range the data range, e.g. 1 for pixels in [0, 1]
     * @return MSE, PSNR and mean SSIM
     */
    public static ReconstructionQuality ofImages(float[] originals, float[] reconstructions, int[] shape, double range) {
        double mse = mse(originals, reconstructions);
        int plane = shape[1] * shape[2];
        int planes = originals.length / plane;
        double ssim = 0;
        for (int p = 0; p < planes; p++) {
            ssim += ssim(originals, reconstructions, p * plane, shape[1], shape[2], range);
        }
        return new ReconstructionQuality(mse, psnr(mse, range), ssim / planes);
    }

    /**
     * Returns the quality of tabular reconstructions: MSE only.
     *
     * @param originals the true rows
     * @param reconstructions the reconstructions
     * @return MSE, with NaN PSNR and SSIM
     */
    public static ReconstructionQuality ofRows(float[] originals, float[] reconstructions) {
        return new ReconstructionQuality(mse(originals, reconstructions), Double.NaN, Double.NaN);
    }

    /**
     * Returns the mean squared difference.
     *
     * @param a values
     * @param b as many values
     * @return {@code mean((a - b)^2)}
     */
    static double mse(float[] a, float[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("need two non-empty arrays of equal length, got " + a.length + " and " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            sum += d * d;
        }
        return sum / a.length;
    }

    /**
     * Returns the peak signal-to-noise ratio.
     *
     * @param mse the mean squared error
     * @param range the data range
     * @return {@code 10 log10(range^2 / mse)} dB; infinity for a perfect reconstruction
     */
    static double psnr(double mse, double range) {
        return 10 * Math.log10(range * range / mse);
    }

    /**
     * Returns the mean SSIM over every 7 x 7 window of one image plane: for windows x and y,
     * {@code (2 mx my + C1)(2 sxy + C2) / ((mx^2 + my^2 + C1)(sx^2 + sy^2 + C2))} with
     * {@code C1 = (K1 range)^2}, {@code C2 = (K2 range)^2}, means and (population) variances and
     * covariance over the window.
     *
     * @param a the first image's values
     * @param b the second image's values
     * @param offset where the plane starts in both arrays
     * @param height plane height, at least 7
     * @param width plane width, at least 7
     * @param range the data range
     * @return the mean SSIM, in [-1, 1]
     */
    static double ssim(float[] a, float[] b, int offset, int height, int width, double range) {
        if (height < WINDOW || width < WINDOW) {
            throw new IllegalArgumentException("SSIM needs planes of at least 7 x 7, got " + height + " x " + width);
        }
        double c1 = (K1 * range) * (K1 * range);
        double c2 = (K2 * range) * (K2 * range);
        double n = WINDOW * WINDOW;
        double total = 0;
        int windows = 0;
        for (int top = 0; top + WINDOW <= height; top++) {
            for (int left = 0; left + WINDOW <= width; left++) {
                double sa = 0;
                double sb = 0;
                double saa = 0;
                double sbb = 0;
                double sab = 0;
                for (int r = top; r < top + WINDOW; r++) {
                    for (int c = left; c < left + WINDOW; c++) {
                        double x = a[offset + r * width + c];
                        double y = b[offset + r * width + c];
                        sa += x;
                        sb += y;
                        saa += x * x;
                        sbb += y * y;
                        sab += x * y;
                    }
                }
                double ma = sa / n;
                double mb = sb / n;
                double va = saa / n - ma * ma;
                double vb = sbb / n - mb * mb;
                double cov = sab / n - ma * mb;
                total += (2 * ma * mb + c1) * (2 * cov + c2) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
                windows++;
            }
        }
        return total / windows;
    }
}
