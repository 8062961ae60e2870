package dev.splitfed.internal.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitfed.InvalidInputException;
import dev.splitfed.data.DataOptions;
import dev.splitfed.data.DataSchema;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.data.ImageSize;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image folders: decoding, grey and colour conversion, resizing and standardisation checked
 * against hand computation on tiny images the test writes, the owner layout, a client's own
 * folder, and every refusal.
 */
class ImageFolderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Writes a grey PNG or JPEG of {@code rows} (8-bit values). */
    static Path grey(Path file, int[][] rows) throws IOException {
        BufferedImage image = new BufferedImage(rows[0].length, rows.length, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < rows[0].length; x++) {
                image.getRaster().setSample(x, y, 0, rows[y][x]);
            }
        }
        return write(file, image);
    }

    /** Writes a colour PNG of {@code rows} (0xRRGGBB values). */
    static Path colour(Path file, int[][] rows) throws IOException {
        BufferedImage image = new BufferedImage(rows[0].length, rows.length, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < rows[0].length; x++) {
                image.setRGB(x, y, rows[y][x]);
            }
        }
        return write(file, image);
    }

    private static Path write(Path file, BufferedImage image) throws IOException {
        Files.createDirectories(file.getParent());
        String format = file.toString().endsWith(".png") ? "png" : "jpeg";
        assertThat(ImageIO.write(image, format, file.toFile())).as(format).isTrue();
        return file;
    }

    private static final int[][] RAMP = {{0, 51, 102}, {153, 204, 255}};
    private static final int[][] FLAT = {{51, 51, 51}, {51, 51, 51}};

    /** Two 2x3 grey training images (classes a and b) and one test image. */
    private Path greyFolder() throws IOException {
        Path dir = tmp.resolve("grey");
        grey(dir.resolve("train/a/1.png"), RAMP);
        grey(dir.resolve("train/b/2.png"), FLAT);
        grey(dir.resolve("test/a/3.png"), new int[][] {{255, 255, 255}, {0, 0, 0}});
        return dir;
    }

    @Test
    void greyImagesAreScaledToUnitRangeAndStandardisedWithTrainingStatistics() throws IOException {
        DataSplit split = ImageFolder.load(greyFolder(), DataOptions.NONE);

        // Training values: 0, .2, .4, .6, .8, 1 and six times .2: mean 4.2 / 12 = .35;
        // squared deviations .835 + .135 = .97, population std sqrt(.97 / 12).
        double mean = 0.35;
        double std = Math.sqrt(0.97 / 12);
        Dataset train = split.train();
        assertThat(train.sampleShape()).containsExactly(1, 2, 3);
        assertThat(train.classNames()).containsExactly("a", "b");
        assertThat(train.labels()).containsExactly(0, 1);
        assertThat(train.hasOwners()).isFalse();
        float[] f = train.features();
        double[] raw = {0, .2, .4, .6, .8, 1, .2, .2, .2, .2, .2, .2};
        for (int i = 0; i < raw.length; i++) {
            assertThat((double) f[i]).as("value %d", i).isCloseTo((raw[i] - mean) / std, within(1e-5));
        }
        assertThat(split.test().features()[0]).isCloseTo((float) ((1 - mean) / std), within(1e-5f));
        assertThat(split.test().features()[5]).isCloseTo((float) ((0 - mean) / std), within(1e-5f));
        assertThat(split.test().labels()).containsExactly(0);

        JsonNode schema = JSON.readTree(split.schema().text());
        assertThat(split.schema().dataset()).isEqualTo("images");
        assertThat(schema.get("classes").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(schema.get("channels").intValue()).isEqualTo(1);
        assertThat(schema.get("height").intValue()).isEqualTo(2);
        assertThat(schema.get("width").intValue()).isEqualTo(3);
        assertThat(schema.get("mean").get(0).doubleValue()).isCloseTo(mean, within(1e-7));
        assertThat(schema.get("std").get(0).doubleValue()).isCloseTo(std, within(1e-7));
        // The same files give the same schema: a client's digest check compares like with like.
        assertThat(ImageFolder.load(greyFolder(), DataOptions.NONE).schema().digest()).isEqualTo(split.schema().digest());
    }

    @Test
    void colourBecomesBt601LumaOrThreePlanes() throws IOException {
        Path file = colour(tmp.resolve("c.png"), new int[][] {{0xff0000, 0x0a141e}});
        BufferedImage image = ImageIO.read(file.toFile());

        // 0.299 * 255 / 255 and (0.299 * 10 + 0.587 * 20 + 0.114 * 30) / 255 = 18.15 / 255.
        assertThat(ImageFolder.pixels(image, 1)).containsExactly(new float[] {0.299f, (float) (18.15 / 255)},
                within(1e-6f));
        assertThat(ImageFolder.pixels(image, 3)).containsExactly(new float[] {1, 10 / 255f, 0, 20 / 255f, 0,
                30 / 255f}, within(1e-6f));
        // A grey image's own samples, repeated for colour.
        BufferedImage g = ImageIO.read(grey(tmp.resolve("g.png"), new int[][] {{51, 255}}).toFile());
        assertThat(ImageFolder.pixels(g, 3)).containsExactly(0.2f, 1f, 0.2f, 1f, 0.2f, 1f);
    }

    @Test
    void colourFolderHasThreeChannelsUnlessOneIsAskedFor() throws IOException {
        Path dir = tmp.resolve("colour");
        colour(dir.resolve("train/x/1.png"), new int[][] {{0xff0000, 0x000000}});
        colour(dir.resolve("train/y/2.png"), new int[][] {{0x00ff00, 0x0000ff}});
        colour(dir.resolve("test/y/3.png"), new int[][] {{0xffffff, 0x000000}});

        Dataset rgb = ImageFolder.load(dir, DataOptions.NONE).train();
        assertThat(rgb.sampleShape()).containsExactly(3, 1, 2);
        // Each channel is 1 in one of four pixels: mean .25, std sqrt(.25 * .75).
        double s = Math.sqrt(0.1875);
        float hi = (float) (0.75 / s);
        float lo = (float) (-0.25 / s);
        assertThat(rgb.features()).containsExactly(new float[] {hi, lo, lo, lo, lo, lo, lo, lo, hi, lo, lo, hi},
                within(1e-5f));

        DataSplit grey = ImageFolder.load(dir, new DataOptions(null, null, null, null, 1));
        assertThat(grey.train().sampleShape()).containsExactly(1, 1, 2);
        // Lumas .299, 0, .587, .114: mean .25.
        double mean = 0.25;
        double std = Math.sqrt((Math.pow(.049, 2) + Math.pow(.25, 2) + Math.pow(.337, 2) + Math.pow(.136, 2)) / 4);
        assertThat(grey.train().features()).containsExactly(new float[] {(float) (.049 / std), (float) (-.25 / std),
                (float) (.337 / std), (float) (-.136 / std)}, within(1e-5f));
        assertThat(JSON.readTree(grey.schema().text()).get("mean").get(0).doubleValue()).isCloseTo(mean, within(1e-7));
    }

    @Test
    void jpegIsReadToo() throws IOException {
        Path dir = tmp.resolve("jpeg");
        int[][] flat = new int[8][8];
        for (int[] row : flat) {
            java.util.Arrays.fill(row, 100);
        }
        int[][] dark = new int[8][8];
        grey(dir.resolve("train/a/1.jpg"), flat);
        grey(dir.resolve("train/b/2.JPEG"), dark);
        grey(dir.resolve("test/a/3.jpeg"), flat);

        DataSplit split = ImageFolder.load(dir, DataOptions.NONE);
        // A uniform JPEG keeps its value (within one step): mean of 100/255 and 0 is about .196, std about .196.
        JsonNode schema = JSON.readTree(split.schema().text());
        assertThat(schema.get("mean").get(0).doubleValue()).isCloseTo(50 / 255.0, within(1 / 255.0));
        assertThat(split.train().features()[0]).isCloseTo(1f, within(0.02f));
        assertThat(split.train().features()[64]).isCloseTo(-1f, within(0.02f));
    }

    @Test
    void bilinearResizeAlignsPixelCentres() {
        // 1x2 [0, 1] to 1x4: source x = (x + .5) / 2 - .5 = -.25 (clamped to 0), .25, .75, 1.25 (clamped to 1).
        assertThat(ImageFolder.resize(new float[] {0, 1}, 1, 1, 2, 1, 4)).containsExactly(0f, .25f, .75f, 1f);
        // 2x2 to 1x1 samples the centre (.5, .5): the average.
        assertThat(ImageFolder.resize(new float[] {0, 1, 2, 3}, 1, 2, 2, 1, 1)).containsExactly(1.5f);
        // 4 to 2 samples .5 and 2.5: averages of neighbours; each plane on its own.
        assertThat(ImageFolder.resize(new float[] {0, 2, 4, 6, 10, 10, 10, 10}, 2, 1, 4, 1, 2))
                .containsExactly(1f, 5f, 10f, 10f);
    }

    @Test
    void imageSizeResizesEveryImage() throws IOException {
        Path dir = tmp.resolve("sizes");
        grey(dir.resolve("train/a/1.png"), new int[][] {{0, 255}});
        grey(dir.resolve("train/b/2.png"), new int[][] {{0, 255, 0, 255}});
        grey(dir.resolve("test/a/3.png"), new int[][] {{255}});

        DataSplit split = ImageFolder.load(dir, new DataOptions(null, null, null, new ImageSize(1, 4), 0));
        assertThat(split.train().sampleShape()).containsExactly(1, 1, 4);
        // 1x2 [0, 1] becomes [0, .25, .75, 1]; 1x4 stays; 1x1 [1] becomes four ones.
        double[] raw = {0, .25, .75, 1, 0, 1, 0, 1};
        double mean = 4.0 / 8;
        double var = 0;
        for (double v : raw) {
            var += (v - mean) * (v - mean) / 8;
        }
        double std = Math.sqrt(var);
        float[] f = split.train().features();
        for (int i = 0; i < raw.length; i++) {
            assertThat((double) f[i]).isCloseTo((raw[i] - mean) / std, within(1e-5));
        }
        assertThat(split.test().features()).containsOnly((float) ((1 - mean) / std));
    }

    @Test
    void anImageOfAnotherSizeIsRefusedWithoutImageSize() throws IOException {
        Path dir = greyFolder();
        grey(dir.resolve("train/b/4.png"), new int[][] {{1, 2}, {3, 4}, {5, 6}});

        assertThatThrownBy(() -> ImageFolder.load(dir, DataOptions.NONE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(dir.resolve("train/b/4.png") + " is 3x2 pixels, but the first image, "
                        + dir.resolve("train/a/1.png") + ", is 2x3; give image-size to resize every image to one size.");
        InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
                () -> ImageFolder.load(dir, DataOptions.NONE));
        assertThat(e.message(k -> "--" + k)).endsWith("give --image-size to resize every image to one size.");
    }

    @Test
    void ownerFoldersGiveOneClientPerOwner() throws IOException {
        Path dir = tmp.resolve("owners");
        grey(dir.resolve("train/bob/a/1.png"), RAMP);
        grey(dir.resolve("train/alice/b/2.png"), FLAT);
        grey(dir.resolve("train/alice/a/3.png"), FLAT);
        grey(dir.resolve("train/carol/c/4.png"), FLAT);
        grey(dir.resolve("test/a/5.png"), FLAT);
        grey(dir.resolve("test/c/6.png"), FLAT);

        DataSplit split = ImageFolder.load(dir, DataOptions.NONE);
        Dataset train = split.train();
        assertThat(train.classNames()).containsExactly("a", "b", "c");
        assertThat(train.ownerNames()).containsExactly("alice", "bob", "carol");
        // alice/a/3, alice/b/2, bob/a/1, carol/c/4.
        assertThat(train.owners()).containsExactly(0, 0, 1, 2);
        assertThat(train.labels()).containsExactly(0, 1, 0, 2);
        assertThat(split.test().labels()).containsExactly(0, 2);

        int[][] parts = new NaturalPartitioner().partition(train, 3, 1);
        assertThat(parts).hasNumberOfRows(3);
        assertThat(parts[0]).containsExactly(0, 1);
        assertThat(parts[1]).containsExactly(2);
        assertThat(parts[2]).containsExactly(3);
    }

    @Test
    void theCatalogReadsTheSpecAndRefusesOptionsImagesDoNotRead() throws IOException {
        Path dir = greyFolder();
        DataSplit split = DatasetCatalog.load("images:" + dir, DataOptions.NONE, null, Map.of());
        assertThat(split.train().size()).isEqualTo(2);
        assertThat(DatasetCatalog.naturalModel("images:" + dir)).isEqualTo("lenet5");
        assertThat(DatasetCatalog.naturalPartition("images:" + dir)).isEqualTo("iid");

        assertThatThrownBy(() -> DatasetCatalog.load("images:" + dir, new DataOptions("x", null, null, null, 0), null,
                Map.of())).hasMessageStartingWith("label does not apply to data set images");
        assertThatThrownBy(() -> DatasetCatalog.load("images", DataOptions.NONE, null, Map.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("data set images needs a folder: dataset images:DIR");
    }

    @Test
    void refusalsNameTheFileAndWhatIsWrong() throws IOException {
        Path missing = tmp.resolve("none");
        assertThatThrownBy(() -> ImageFolder.load(missing, DataOptions.NONE))
                .hasMessage("dataset images:" + missing + " names no folder.");

        Path noTest = tmp.resolve("no-test");
        grey(noTest.resolve("train/a/1.png"), RAMP);
        assertThatThrownBy(() -> ImageFolder.load(noTest, DataOptions.NONE)).hasMessage(noTest
                + " has no test folder: images:DIR reads DIR/train/<class>/ and DIR/test/<class>/.");

        Path unknown = greyFolder();
        grey(unknown.resolve("test/zebra/9.png"), RAMP);
        assertThatThrownBy(() -> ImageFolder.load(unknown, DataOptions.NONE)).hasMessage(unknown.resolve("test/zebra")
                + " is a class the training split does not have; its classes are a, b.");
        Files.delete(unknown.resolve("test/zebra/9.png"));
        Files.delete(unknown.resolve("test/zebra"));

        Files.writeString(unknown.resolve("train/a/notes.txt"), "hello");
        assertThatThrownBy(() -> ImageFolder.load(unknown, DataOptions.NONE))
                .hasMessage(unknown.resolve("train/a/notes.txt") + " is not a PNG or JPEG file (.png, .jpg, .jpeg).");
        Files.delete(unknown.resolve("train/a/notes.txt"));

        Files.writeString(unknown.resolve("train/a/broken.png"), "not an image");
        assertThatThrownBy(() -> ImageFolder.load(unknown, DataOptions.NONE))
                .hasMessageStartingWith(unknown.resolve("train/a/broken.png") + " cannot be decoded as a PNG or JPEG image");
        Files.delete(unknown.resolve("train/a/broken.png"));

        Files.writeString(unknown.resolve("train/loose.png"), "x");
        assertThatThrownBy(() -> ImageFolder.load(unknown, DataOptions.NONE)).hasMessage(unknown.resolve("train/loose.png")
                + " is a file where a folder is expected: images go in " + unknown.resolve("train") + "/<class>/.");
        Files.delete(unknown.resolve("train/loose.png"));

        grey(unknown.resolve("train/owner/c/1.png"), RAMP);
        assertThatThrownBy(() -> ImageFolder.load(unknown, DataOptions.NONE)).hasMessage(unknown.resolve("train")
                + " mixes owner folders (owner holds folders) and class folders (a holds none): give every owner its "
                + "own folder of class folders, or use class folders only.");

        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty.resolve("train/a"));
        Files.createDirectories(empty.resolve("test/a"));
        assertThatThrownBy(() -> ImageFolder.load(empty, DataOptions.NONE))
                .hasMessage(empty.resolve("train") + " holds no PNG or JPEG images.");
    }

    @Test
    void aClientReadsItsOwnFolderAsTheServerReadTheSameFiles() throws IOException {
        Path dir = greyFolder();
        DataSplit run = ImageFolder.load(dir, DataOptions.NONE);

        Dataset own = ImageFolder.loadOwn(dir.resolve("train"), DataOptions.NONE, run.schema());
        assertThat(own.features()).containsExactly(run.train().features());
        assertThat(own.labels()).containsExactly(run.train().labels());
        assertThat(own.classNames()).isEqualTo(run.train().classNames());
        assertThat(own.sampleShape()).containsExactly(1, 2, 3);

        // Only class b: its label is still the run's 1.
        Path client = tmp.resolve("client");
        grey(client.resolve("b/x.png"), RAMP);
        Dataset b = ImageFolder.loadOwn(client, DataOptions.NONE, run.schema());
        assertThat(b.labels()).containsExactly(1);
        assertThat(b.features()).containsExactly(java.util.Arrays.copyOf(run.train().features(), 6));
    }

    @Test
    void aClientFolderThatDoesNotMatchTheRunIsRefused() throws IOException {
        Path dir = greyFolder();
        DataSchema schema = ImageFolder.load(dir, DataOptions.NONE).schema();

        Path client = tmp.resolve("client");
        grey(client.resolve("dog/x.png"), RAMP);
        assertThatThrownBy(() -> ImageFolder.loadOwn(client, DataOptions.NONE, schema))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(client.resolve("dog") + " is a class the run does not have; its classes are a, b.");

        Path other = tmp.resolve("other");
        grey(other.resolve("a/x.png"), new int[][] {{1, 2}});
        assertThatThrownBy(() -> ImageFolder.loadOwn(other, DataOptions.NONE, schema))
                .hasMessage(other.resolve("a/x.png") + " is 1x2 pixels, but the run's images are 2x3; give "
                        + "image-size to resize every image to one size.");

        assertThatThrownBy(() -> ImageFolder.loadOwn(other, DataOptions.NONE, new DataSchema("leaf", "{}")))
                .hasMessage("the run's data schema is for data set leaf, not images.");
        assertThatThrownBy(() -> ImageFolder.loadOwn(other, DataOptions.NONE, new DataSchema("images", "{}")))
                .hasMessage("the run's data schema does not describe images (classes, height, width, channels, mean, std).");
    }

    @Test
    void aClientResizesWhenTheRunDid() throws IOException {
        Path dir = greyFolder();
        DataOptions resize = new DataOptions(null, null, null, new ImageSize(2, 3), 0);
        DataSplit run = ImageFolder.load(dir, resize);
        Path client = tmp.resolve("client");
        // 1x1 of 51 resized to 2x3 is six times .2: the FLAT image of class b.
        grey(client.resolve("b/x.png"), new int[][] {{51}});

        Dataset own = ImageFolder.loadOwn(client, resize, run.schema());
        assertThat(own.features()).containsExactly(java.util.Arrays.copyOfRange(run.train().features(), 6, 12));
        assertThat(List.of(own.numClasses(), own.size())).containsExactly(2, 1);
    }
}
