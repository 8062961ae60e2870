package dev.splitfed.data;

import dev.splitfed.InvalidInputException;

/**
 * The height and width images are resized to, as {@code --image-size HxW} gives them.
 *
 * @param height rows of pixels, 1 to {@link #MAX}
 * @param width columns of pixels, 1 to {@link #MAX}
 */
public record ImageSize(int height, int width) {

    /** The largest side an image may be resized to: 4096 pixels. */
    public static final int MAX = 4096;

    /**
     * Checks the sides.
     *
     * @throws InvalidInputException if a side is not in 1 to {@link #MAX}
     */
    public ImageSize {
        if (height < 1 || width < 1 || height > MAX || width > MAX) {
            throw new InvalidInputException("{image-size} " + height + "x" + width + " must have sides from 1 to " + MAX);
        }
    }

    /**
     * Reads {@code HxW}, e.g. {@code 28x28}.
     *
     * @param text the size
     * @return the size
     * @throws InvalidInputException if the text is not two whole numbers joined by {@code x}
     */
    public static ImageSize parse(String text) {
        String[] parts = text.strip().toLowerCase(java.util.Locale.ROOT).split("x", -1);
        if (parts.length == 2) {
            try {
                return new ImageSize(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            } catch (NumberFormatException e) {
                // worded below
            }
        }
        throw new InvalidInputException("{image-size} must be HEIGHTxWIDTH, e.g. 28x28, got '" + text + "'");
    }

    @Override
    public String toString() {
        return height + "x" + width;
    }
}
