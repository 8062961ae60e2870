package dev.splitfed.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a run asks a data set to be read, beyond its name: the settings {@code label}, {@code owner},
 * {@code test-file}, {@code image-size} and {@code channels}. Each applies only to the data sets
 * whose provider {@link DatasetProvider#options() reads} it; a value given to another is refused.
 *
 * @param label the column holding the class, or null for the data set's own (a table's last column)
 * @param owner the column naming each row's owner (one client per owner with {@code --partition
 *     natural}), or null for none
 * @param testFile the file holding the test split, or null to split the training file
 * @param imageSize the size images are resized to, or null to keep the first image's size
 * @param channels 1 (grey) or 3 (colour) channels per image, or 0 for the images' own
 */
public record DataOptions(String label, String owner, Path testFile, ImageSize imageSize, int channels) {

    /** No options: every data set read its own way. */
    public static final DataOptions NONE = new DataOptions(null, null, null, null, 0);

    /**
     * Returns the keys of the settings given (not null, not 0), e.g. {@code [label, owner]}.
     *
     * @return the keys, in the order of the record's components
     */
    public List<String> given() {
        List<String> keys = new ArrayList<>();
        if (label != null) {
            keys.add("label");
        }
        if (owner != null) {
            keys.add("owner");
        }
        if (testFile != null) {
            keys.add("test-file");
        }
        if (imageSize != null) {
            keys.add("image-size");
        }
        if (channels != 0) {
            keys.add("channels");
        }
        return keys;
    }
}
