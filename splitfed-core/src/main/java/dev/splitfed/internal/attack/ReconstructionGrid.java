package dev.splitfed.internal.attack;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/**
 * A PNG of originals above their reconstructions: two rows of grey images with pixels in [0, 1],
 * each image magnified {@link #ZOOM} times, {@link #GAP} white pixels between images.
 */
public final class ReconstructionGrid {

    /** Magnification of every image. */
    static final int ZOOM = 2;
    /** White pixels between images and around the grid. */
    static final int GAP = 4;

    private ReconstructionGrid() {}

    /**
     * Writes the grid of the first {@code count} images.
     *
     * @param file the PNG to write (replaced atomically)
     * @param originals images with values in [0, 1], sample after sample
     * @param reconstructions the reconstructions, same layout
     * @param shape one image's shape: channels (averaged into grey), height, width
     * @param count how many images per row, at most the number of samples
     */
    public static void write(Path file, float[] originals, float[] reconstructions, int[] shape, int count) {
        BufferedImage image = render(originals, reconstructions, shape, count);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IllegalStateException("no PNG writer in this Java runtime");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Returns the grid as an image. */
    static BufferedImage render(float[] originals, float[] reconstructions, int[] shape, int count) {
        int channels = shape[0];
        int height = shape[1];
        int width = shape[2];
        int size = channels * height * width;
        if (count < 1 || (long) count * size > originals.length || reconstructions.length != originals.length) {
            throw new IllegalArgumentException("cannot show " + count + " images of " + size + " values from "
                    + originals.length + " and " + reconstructions.length + " values");
        }
        int cellW = width * ZOOM;
        int cellH = height * ZOOM;
        BufferedImage image = new BufferedImage(GAP + count * (cellW + GAP), GAP + 2 * (cellH + GAP),
                BufferedImage.TYPE_BYTE_GRAY);
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                image.getRaster().setSample(x, y, 0, 255);
            }
        }
        for (int row = 0; row < 2; row++) {
            float[] values = row == 0 ? originals : reconstructions;
            for (int k = 0; k < count; k++) {
                int left = GAP + k * (cellW + GAP);
                int top = GAP + row * (cellH + GAP);
                for (int r = 0; r < height; r++) {
                    for (int c = 0; c < width; c++) {
                        double grey = 0;
                        for (int ch = 0; ch < channels; ch++) {
                            grey += values[k * size + (ch * height + r) * width + c];
                        }
                        int level = (int) Math.round(255 * Math.min(1, Math.max(0, grey / channels)));
                        for (int dy = 0; dy < ZOOM; dy++) {
                            for (int dx = 0; dx < ZOOM; dx++) {
                                image.getRaster().setSample(left + c * ZOOM + dx, top + r * ZOOM + dy, 0, level);
                            }
                        }
                    }
                }
            }
        }
        return image;
    }
}
