package dev.splitfed.internal.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.splitfed.InvalidInputException;
import dev.splitfed.data.DataOptions;
import dev.splitfed.data.DataSchema;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import dev.splitfed.data.ImageSize;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The {@code images} data set: PNG and JPEG files in a folder per class, as {@code --dataset
 * images:DIR} names them.
 *
 * <p><b>Layout.</b> {@code DIR/train/<class>/*} and {@code DIR/test/<class>/*}; the classes are the
 * training split's folder names in sorted order, and a test folder of a class the training split
 * lacks is refused. For {@code --partition natural}, {@code DIR/train/<owner>/<class>/*} gives one
 * owner (one client) per owner folder, the classes being the sorted union of their class folders.
 * The two are told apart by what the folders under {@code DIR/train} hold: a folder that holds a
 * folder is an owner folder, one that holds none is a class folder, and {@code DIR/train} must
 * hold only one kind. Files are read in name order; files and folders whose names start with
 * {@code .} are skipped, and a file that is not {@code .png}, {@code .jpg} or {@code .jpeg} is
 * refused.
 *
 * <p><b>Pixels.</b> Each image is decoded with {@link ImageIO} and turned into {@code C} planes of
 * values in {@code [0, 1]}: a grey image's samples divided by their largest value ({@code 255} for
 * 8 bits), a colour image's sRGB components divided by 255 (alpha is ignored). With one channel a
 * colour image becomes its ITU-R BT.601 luma, {@code 0.299 R + 0.587 G + 0.114 B} of the
 * (gamma-encoded) components; with three a grey image is repeated in R, G and B. Without
 * {@code --channels} the first training image decides: one channel if it is grey, three otherwise.
 *
 * <p><b>Size.</b> Without {@code --image-size} every image must have the first training image's
 * size; one of another size is refused. With it, each image is resized by bilinear interpolation
 * with pixel centres aligned (source coordinate {@code (x + 0.5) * inW / outW - 0.5}, clamped to the
 * image; as OpenCV's {@code INTER_LINEAR}, without anti-aliasing), after the channel conversion.
 *
 * <p><b>Normalisation.</b> Each channel is standardised with the mean and population standard
 * deviation of that channel over every pixel of the training split ({@code (v - mean) / std}; a
 * channel whose values are all equal is only centred). The images are decoded once, when the data
 * set is loaded: the {@link Dataset} holds the standardised floats for the whole run.
 *
 * <p><b>Schema.</b> The {@link DataSchema} (JSON) holds the classes, the height, width and channels
 * and each channel's mean and standard deviation; a deployed client reads its own folder
 * {@code PATH/<class>/*} with it ({@link #loadOwn}).
 */
public final class ImageFolder {

    /** The name of the data set on the command line. */
    public static final String NAME = "images";
    /** The file name endings read, lower-cased. */
    public static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");
    /** ITU-R BT.601 luma weights of red, green and blue. */
    static final double LUMA_R = 0.299;
    static final double LUMA_G = 0.587;
    static final double LUMA_B = 0.114;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageFolder() {}

    /** An image file and where it belongs. */
    private record Entry(Path file, int label, int owner) {}

    /** Decoded images of one split before normalisation, with the size and channels they were read at. */
    private record Decoded(float[] pixels, int[] labels, int[] owners, int channels, int height, int width) {}

    /**
     * How a split's images are read: to which channels and size, and whether images of another
     * size are resized (with {@code --image-size}) or refused.
     */
    private static final class Reading {
        int channels;
        int height;
        int width;
        final boolean resize;
        Path first;

        /** Reads at the images' own channels (0) or those given, at the first image's size or the one given. */
        Reading(int channels, ImageSize size) {
            this(channels, size, size != null);
        }

        /** Reads at a known size, resizing to it or refusing other sizes. */
        Reading(int channels, ImageSize size, boolean resize) {
            this.channels = channels;
            this.resize = resize;
            if (size != null) {
                this.height = size.height();
                this.width = size.width();
            }
        }
    }

    /**
     * Loads {@code dir/train} and {@code dir/test}.
     *
     * @param dir the folder
     * @param options the run's {@code image-size} and {@code channels}; others are ignored
     * @return the standardised splits, with owners when the training split has owner folders, and a schema
     * @throws InvalidInputException if the folders do not have the layout above or an image cannot be read
     */
    public static DataSplit load(Path dir, DataOptions options) {
        Path trainDir = dir.resolve("train");
        Path testDir = dir.resolve("test");
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("{dataset} images:" + dir + " names no folder.");
        }
        for (Path split : List.of(trainDir, testDir)) {
            if (!Files.isDirectory(split)) {
                throw new InvalidInputException(dir + " has no " + split.getFileName() + " folder: images:DIR reads "
                        + "DIR/train/<class>/ and DIR/test/<class>/.");
            }
        }
        // Owner layout: train/<owner>/<class>/*; class layout: train/<class>/*.
        List<Path> trainFolders = folders(trainDir, true);
        List<Path> ownerFolders = new ArrayList<>();
        List<Path> classFolders = new ArrayList<>();
        for (Path folder : trainFolders) {
            (folders(folder, false).isEmpty() ? classFolders : ownerFolders).add(folder);
        }
        if (!ownerFolders.isEmpty() && !classFolders.isEmpty()) {
            throw new InvalidInputException(trainDir + " mixes owner folders (" + ownerFolders.get(0).getFileName()
                    + " holds folders) and class folders (" + classFolders.get(0).getFileName() + " holds none): give "
                    + "every owner its own folder of class folders, or use class folders only.");
        }
        boolean owned = !ownerFolders.isEmpty();
        TreeSet<String> classSet = new TreeSet<>();
        List<String> ownerNames = new ArrayList<>();
        if (owned) {
            for (Path owner : ownerFolders) {
                ownerNames.add(owner.getFileName().toString());
                for (Path c : folders(owner, true)) {
                    classSet.add(c.getFileName().toString());
                }
            }
        } else {
            classFolders.forEach(c -> classSet.add(c.getFileName().toString()));
        }
        if (classSet.isEmpty()) {
            throw new InvalidInputException(trainDir + " holds no class folders: images:DIR reads DIR/train/<class>/.");
        }
        List<String> classes = List.copyOf(classSet);
        List<Entry> trainEntries = new ArrayList<>();
        if (owned) {
            for (int o = 0; o < ownerFolders.size(); o++) {
                for (Path c : folders(ownerFolders.get(o), true)) {
                    addImages(c, classes.indexOf(c.getFileName().toString()), o, trainEntries);
                }
            }
        } else {
            for (Path c : classFolders) {
                addImages(c, classes.indexOf(c.getFileName().toString()), -1, trainEntries);
            }
        }
        if (trainEntries.isEmpty()) {
            throw new InvalidInputException(trainDir + " holds no PNG or JPEG images.");
        }
        List<Entry> testEntries = new ArrayList<>();
        for (Path c : folders(testDir, false)) {
            String name = c.getFileName().toString();
            int label = classes.indexOf(name);
            if (label < 0) {
                throw new InvalidInputException(c + " is a class the training split does not have; its classes are "
                        + String.join(", ", classes) + ".");
            }
            addImages(c, label, -1, testEntries);
        }
        if (testEntries.isEmpty()) {
            throw new InvalidInputException(testDir + " holds no PNG or JPEG images in class folders.");
        }
        Reading reading = new Reading(options.channels(), options.imageSize());
        Decoded train = decode(trainEntries, reading);
        Decoded test = decode(testEntries, reading);
        int plane = reading.height * reading.width;
        double[][] stats = statistics(train.pixels(), reading.channels, plane);
        int[] shape = {reading.channels, reading.height, reading.width};
        Dataset trainSet = new Dataset(NAME, standardise(train.pixels(), stats, plane), train.labels(), shape,
                classes, Dataset.Kind.FEATURES, owned ? train.owners() : null, owned ? ownerNames : List.of());
        Dataset testSet = new Dataset(NAME, standardise(test.pixels(), stats, plane), test.labels(), shape, classes);
        return new DataSplit(trainSet, testSet, dir.toString(), false,
                new DataSchema(NAME, schemaText(classes, shape, stats)));
    }

    /**
     * Reads a deployed client's own images, {@code dir/<class>/*}, as the run reads its training
     * split: at the run's size and channels, standardised with the run's statistics, labelled
     * with the run's classes.
     *
     * @param dir the client's folder of class folders
     * @param options the run's options: with {@code image-size} images are resized to the run's
     *     size, without it one of another size is refused
     * @param schema the run's schema
     * @return the client's samples
     * @throws InvalidInputException if the folder does not match the run: a class the run does not
     *     have, an image of another size, no images
     */
    public static Dataset loadOwn(Path dir, DataOptions options, DataSchema schema) {
        Schema run = Schema.parse(schema);
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException(dir + " is not a folder of class folders (" + dir + "/<class>/*.png).");
        }
        List<Entry> entries = new ArrayList<>();
        for (Path c : folders(dir, true)) {
            String name = c.getFileName().toString();
            int label = run.classes().indexOf(name);
            if (label < 0) {
                throw new InvalidInputException(c + " is a class the run does not have; its classes are "
                        + String.join(", ", run.classes()) + ".");
            }
            addImages(c, label, -1, entries);
        }
        if (entries.isEmpty()) {
            throw new InvalidInputException(dir + " holds no PNG or JPEG images in class folders.");
        }
        // Without image-size the run resized nothing: an image of another size is refused, as on the server.
        Reading reading = new Reading(run.channels(), new ImageSize(run.height(), run.width()),
                options.imageSize() != null);
        Decoded own = decode(entries, reading);
        return new Dataset(NAME, standardise(own.pixels(), new double[][] {run.mean(), run.std()},
                run.height() * run.width()), own.labels(),
                new int[] {run.channels(), run.height(), run.width()}, run.classes());
    }

    /** The run's description of its images, as {@link #schemaText} writes it. */
    private record Schema(List<String> classes, int channels, int height, int width, double[] mean, double[] std) {

        static Schema parse(DataSchema schema) {
            if (!schema.dataset().equals(NAME)) {
                throw new InvalidInputException("the run's data schema is for data set " + schema.dataset()
                        + ", not " + NAME + ".");
            }
            try {
                JsonNode root = JSON.readTree(schema.text());
                List<String> classes = new ArrayList<>();
                root.get("classes").forEach(c -> classes.add(c.textValue()));
                int channels = root.get("channels").intValue();
                double[] mean = doubles(root.get("mean"));
                double[] std = doubles(root.get("std"));
                if (classes.isEmpty() || classes.contains(null) || (channels != 1 && channels != 3)
                        || mean.length != channels || std.length != channels) {
                    throw new IllegalArgumentException("inconsistent");
                }
                return new Schema(classes, channels, root.get("height").intValue(), root.get("width").intValue(),
                        mean, std);
            } catch (IOException | RuntimeException e) {
                throw new InvalidInputException("the run's data schema does not describe images (classes, height, "
                        + "width, channels, mean, std).", e);
            }
        }

        private static double[] doubles(JsonNode array) {
            double[] values = new double[array.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = array.get(i).doubleValue();
            }
            return values;
        }
    }

    private static String schemaText(List<String> classes, int[] shape, double[][] stats) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode c = root.putArray("classes");
        classes.forEach(c::add);
        root.put("channels", shape[0]);
        root.put("height", shape[1]);
        root.put("width", shape[2]);
        ArrayNode mean = root.putArray("mean");
        ArrayNode std = root.putArray("std");
        for (int k = 0; k < shape[0]; k++) {
            mean.add(stats[0][k]);
            std.add(stats[1][k]);
        }
        return root.toString();
    }

    /**
     * Lists the folders of a folder in name order, skipping hidden ones.
     *
     * @param only whether a file there is refused (it must hold folders only)
     */
    private static List<Path> folders(Path dir, boolean only) {
        List<Path> folders = new ArrayList<>();
        for (Path p : list(dir)) {
            if (Files.isDirectory(p)) {
                folders.add(p);
            } else if (only) {
                throw new InvalidInputException(p + " is a file where a folder is expected: images go in "
                        + dir + "/<class>/.");
            }
        }
        return folders;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new InvalidInputException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void addImages(Path classFolder, int label, int owner, List<Entry> into) {
        for (Path p : list(classFolder)) {
            if (Files.isDirectory(p)) {
                throw new InvalidInputException(p + " is a folder inside class folder " + classFolder
                        + ", which should hold only images.");
            }
            String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
            if (EXTENSIONS.stream().noneMatch(name::endsWith)) {
                throw new InvalidInputException(p + " is not a PNG or JPEG file (.png, .jpg, .jpeg).");
            }
            into.add(new Entry(p, label, owner));
        }
    }

    private static Decoded decode(List<Entry> entries, Reading reading) {
        float[] pixels = null;
        int[] labels = new int[entries.size()];
        int[] owners = new int[entries.size()];
        int size = 0;
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            BufferedImage image = read(entry.file());
            if (reading.channels == 0) {
                reading.channels = grey(image) ? 1 : 3;
            }
            if (reading.height == 0) {
                reading.height = image.getHeight();
                reading.width = image.getWidth();
                reading.first = entry.file();
            }
            if (!reading.resize && (image.getHeight() != reading.height || image.getWidth() != reading.width)) {
                throw new InvalidInputException(entry.file() + " is " + image.getHeight() + "x" + image.getWidth()
                        + " pixels, but " + (reading.first != null ? "the first image, " + reading.first + ", is "
                                : "the run's images are ")
                        + reading.height + "x" + reading.width + "; give {image-size} to resize every image to one size.");
            }
            float[] planes = pixels(image, reading.channels);
            if (image.getHeight() != reading.height || image.getWidth() != reading.width) {
                planes = resize(planes, reading.channels, image.getHeight(), image.getWidth(), reading.height,
                        reading.width);
            }
            if (pixels == null) {
                size = planes.length;
                pixels = new float[entries.size() * size];
            }
            System.arraycopy(planes, 0, pixels, i * size, size);
            labels[i] = entry.label();
            owners[i] = entry.owner();
        }
        return new Decoded(pixels, labels, owners, reading.channels, reading.height, reading.width);
    }

    private static BufferedImage read(Path file) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(file + " cannot be decoded as a PNG or JPEG image: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new InvalidInputException(file + " cannot be decoded as a PNG or JPEG image.");
        }
        return image;
    }

    /** Returns whether an image's colours are shades of grey (a grey colour space, with or without alpha). */
    static boolean grey(BufferedImage image) {
        return image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && image.getColorModel().getNumColorComponents() == 1;
    }

    /**
     * Returns an image's pixels as {@code channels} planes of {@code height x width} values in
     * {@code [0, 1]}, row-major: see the class comment for the conversion.
     *
     * @param image the decoded image
     * @param channels 1 or 3
     * @return {@code channels * height * width} values
     */
    static float[] pixels(BufferedImage image, int channels) {
        int h = image.getHeight();
        int w = image.getWidth();
        int plane = h * w;
        float[] out = new float[channels * plane];
        if (grey(image)) {
            // The raster's own samples: getRGB would pass them through a colour conversion.
            Raster raster = image.getRaster();
            double max = (1L << image.getColorModel().getComponentSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float g = (float) (raster.getSample(x, y, 0) / max);
                    for (int c = 0; c < channels; c++) {
                        out[c * plane + y * w + x] = g;
                    }
                }
            }
            return out;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                double r = ((rgb >> 16) & 0xff) / 255.0;
                double g = ((rgb >> 8) & 0xff) / 255.0;
                double b = (rgb & 0xff) / 255.0;
                if (channels == 1) {
                    out[y * w + x] = (float) (LUMA_R * r + LUMA_G * g + LUMA_B * b);
                } else {
                    out[y * w + x] = (float) r;
                    out[plane + y * w + x] = (float) g;
                    out[2 * plane + y * w + x] = (float) b;
                }
            }
        }
        return out;
    }

    /**
     * Resizes planes by bilinear interpolation with pixel centres aligned: output pixel {@code x}
     * samples input coordinate {@code (x + 0.5) * inW / outW - 0.5}, clamped to {@code [0, inW - 1]}
     * (likewise for rows).
     *
     * @param in {@code channels * inH * inW} values, row-major planes
     * @param channels the number of planes
     * @param inH input height
     * @param inW input width
     * @param outH output height
     * @param outW output width
     * @return {@code channels * outH * outW} values
     */
    static float[] resize(float[] in, int channels, int inH, int inW, int outH, int outW) {
        float[] out = new float[channels * outH * outW];
        for (int c = 0; c < channels; c++) {
            int from = c * inH * inW;
            int to = c * outH * outW;
            for (int y = 0; y < outH; y++) {
                double sy = source(y, inH, outH);
                int y0 = (int) Math.floor(sy);
                int y1 = Math.min(y0 + 1, inH - 1);
                double fy = sy - y0;
                for (int x = 0; x < outW; x++) {
                    double sx = source(x, inW, outW);
                    int x0 = (int) Math.floor(sx);
                    int x1 = Math.min(x0 + 1, inW - 1);
                    double fx = sx - x0;
                    double top = (1 - fx) * in[from + y0 * inW + x0] + fx * in[from + y0 * inW + x1];
                    double bottom = (1 - fx) * in[from + y1 * inW + x0] + fx * in[from + y1 * inW + x1];
                    out[to + y * outW + x] = (float) ((1 - fy) * top + fy * bottom);
                }
            }
        }
        return out;
    }

    private static double source(int out, int inSize, int outSize) {
        double s = (out + 0.5) * inSize / outSize - 0.5;
        return Math.max(0, Math.min(inSize - 1, s));
    }

    /**
     * Returns each channel's mean and population standard deviation over all samples' pixels.
     *
     * @param pixels samples of {@code channels} planes of {@code plane} values each
     * @param channels the number of planes per sample
     * @param plane the values per plane (height times width)
     * @return {@code {mean, std}}, each one value per channel
     */
    static double[][] statistics(float[] pixels, int channels, int plane) {
        double[] mean = new double[channels];
        double[] std = new double[channels];
        int sampleSize = channels * plane;
        long perChannel = (long) (pixels.length / sampleSize) * plane;
        for (int i = 0; i < pixels.length; i++) {
            mean[(i % sampleSize) / plane] += pixels[i];
        }
        for (int c = 0; c < channels; c++) {
            mean[c] /= perChannel;
        }
        // Two passes rather than sum-of-squares: no cancellation when the mean dwarfs the spread.
        for (int i = 0; i < pixels.length; i++) {
            int c = (i % sampleSize) / plane;
            double d = pixels[i] - mean[c];
            std[c] += d * d;
        }
        for (int c = 0; c < channels; c++) {
            std[c] = Math.sqrt(std[c] / perChannel);
        }
        return new double[][] {mean, std};
    }

    /**
     * Returns {@code (v - mean) / std} per channel ({@code v - mean} where std is 0).
     *
     * @param pixels samples of {@code channels} planes of {@code plane} values each
     * @param stats {@code {mean, std}} as {@link #statistics} gives them
     * @param plane the values per plane
     * @return a new array
     */
    static float[] standardise(float[] pixels, double[][] stats, int plane) {
        int channels = stats[0].length;
        int sampleSize = channels * plane;
        float[] out = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            int c = (i % sampleSize) / plane;
            double centred = pixels[i] - stats[0][c];
            out[i] = (float) (stats[1][c] == 0 ? centred : centred / stats[1][c]);
        }
        return out;
    }
}
