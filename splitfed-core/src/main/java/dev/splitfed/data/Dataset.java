package dev.splitfed.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * An in-memory labelled data set: one row of float features and one integer label per sample.
 *
 * <p>Rows are kept on the Java heap, not in engine tensors, so a client that is not training holds
 * no native memory; batches are gathered into a small buffer with {@link #gather}.
 */
public final class Dataset {

    private final String name;
    private final float[] features;
    private final int[] labels;
    private final int[] sampleShape;
    private final int featureSize;
    private final List<String> classNames;
    private final Kind kind;
    private final int[] owners;
    private final List<String> ownerNames;

    /** What a sample's features are. */
    public enum Kind {
        /** Real-valued measurements: pixels, or a table's columns. */
        FEATURES,
        /**
         * Word indices into the class names (the vocabulary), stored exactly as floats: a window of
         * preceding words whose label is the word that follows.
         */
        TOKENS
    }

    /**
     * Creates a data set of real-valued features whose samples have no natural owner.
     *
     * @param name a short name, e.g. {@code fashion-mnist}
     * @param features row-major features, {@code labels.length * product(sampleShape)} floats
     * @param labels class indices in {@code [0, classNames.size())}
     * @param sampleShape the shape of one sample, e.g. {@code {1, 28, 28}} or {@code {30}}
     * @param classNames one name per class
     */
    public Dataset(
            String name, float[] features, int[] labels, int[] sampleShape, List<String> classNames) {
        this(name, features, labels, sampleShape, classNames, Kind.FEATURES, null, List.of());
    }

    /**
     * Creates a data set whose samples may each belong to a natural owner: the author, topic or
     * device they came from ({@code --partition natural} gives each client whole owners).
     *
     * @param name a short name, e.g. {@code fortunes}
     * @param features row-major features, {@code labels.length * product(sampleShape)} floats
     * @param labels class indices in {@code [0, classNames.size())}
     * @param sampleShape the shape of one sample, e.g. {@code {8}}
     * @param classNames one name per class; for {@link Kind#TOKENS} the vocabulary
     * @param kind what the features are; {@link Kind#TOKENS} features must be class indices
     * @param owners each sample's owner, an index into {@code ownerNames}, or null when samples
     *     have no natural owner
     * @param ownerNames the owners' names (empty when {@code owners} is null)
     */
    public Dataset(String name, float[] features, int[] labels, int[] sampleShape, List<String> classNames, Kind kind,
            int[] owners, List<String> ownerNames) {
        this(name, features, labels, sampleShape, classNames, kind, owners, ownerNames, true);
    }

    /**
     * The constructor behind the public ones; {@code checkTokens} is false for a data set made
     * from this one's rows ({@link #head}, {@link #select}, {@link #relabel}), whose word indices
     * were checked when this one was built.
     */
    private Dataset(String name, float[] features, int[] labels, int[] sampleShape, List<String> classNames, Kind kind,
            int[] owners, List<String> ownerNames, boolean checkTokens) {
        this.name = Objects.requireNonNull(name, "name");
        this.features = Objects.requireNonNull(features, "features");
        this.labels = Objects.requireNonNull(labels, "labels");
        this.sampleShape = sampleShape.clone();
        this.classNames = List.copyOf(classNames);
        int size = 1;
        for (int d : sampleShape) {
            if (d <= 0) {
                throw new IllegalArgumentException("sampleShape dimensions must be > 0");
            }
            size *= d;
        }
        this.featureSize = size;
        if ((long) labels.length * size != features.length) {
            throw new IllegalArgumentException(
                    "features must hold labels.length * product(sampleShape) = "
                            + (long) labels.length * size + " floats, not " + features.length);
        }
        for (int label : labels) {
            if (label < 0 || label >= classNames.size()) {
                throw new IllegalArgumentException(
                        "label " + label + " is outside [0, " + classNames.size() + ")");
            }
        }
        this.kind = Objects.requireNonNull(kind, "kind");
        if (kind == Kind.TOKENS && checkTokens) {
            for (float token : features) {
                if (token < 0 || token >= classNames.size() || token != Math.rint(token)) {
                    throw new IllegalArgumentException(
                            "token " + token + " is not a word index in [0, " + classNames.size() + ")");
                }
            }
        }
        this.ownerNames = List.copyOf(ownerNames);
        if (owners != null) {
            if (owners.length != labels.length) {
                throw new IllegalArgumentException("need one owner per sample, got " + owners.length + " for "
                        + labels.length + " samples");
            }
            for (int owner : owners) {
                if (owner < 0 || owner >= ownerNames.size()) {
                    throw new IllegalArgumentException("owner " + owner + " is outside [0, " + ownerNames.size() + ")");
                }
            }
        } else if (!ownerNames.isEmpty()) {
            throw new IllegalArgumentException("owner names given without owners");
        }
        this.owners = owners;
    }

    /** Returns the short name of the data set. */
    public String name() {
        return name;
    }

    /** Returns the number of samples. */
    public int size() {
        return labels.length;
    }

    /** Returns the number of floats in one sample. */
    public int featureSize() {
        return featureSize;
    }

    /** Returns the shape of one sample (a copy). */
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /** Returns the number of classes. */
    public int numClasses() {
        return classNames.size();
    }

    /** Returns the class names, one per class. */
    public List<String> classNames() {
        return classNames;
    }

    /** Returns what the features are. */
    public Kind kind() {
        return kind;
    }

    /** Returns whether every sample has a natural owner ({@link #owners()}). */
    public boolean hasOwners() {
        return owners != null;
    }

    /**
     * Returns each sample's natural owner (a copy).
     *
     * @return an index into {@link #ownerNames()} per sample
     * @throws IllegalStateException if the samples have no owners
     */
    public int[] owners() {
        if (owners == null) {
            throw new IllegalStateException(name + " has no natural owners");
        }
        return owners.clone();
    }

    /** Returns the owners' names, empty when samples have none. */
    public List<String> ownerNames() {
        return ownerNames;
    }

    /** Returns the label of sample {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** Returns all features, row-major (a copy). */
    public float[] features() {
        return features.clone();
    }

    /** Returns all labels (a copy). */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * Copies the rows {@code indices[from..to)} into {@code featuresOut} and their labels into
     * {@code labelsOut}, both starting at position 0.
     *
     * @param indices sample indices
     * @param from first position in {@code indices}, inclusive
     * @param to last position in {@code indices}, exclusive
     * @param featuresOut receives {@code (to - from) * featureSize()} floats
     * @param labelsOut receives {@code to - from} labels
     */
    public void gather(int[] indices, int from, int to, float[] featuresOut, int[] labelsOut) {
        for (int j = from; j < to; j++) {
            int i = indices[j];
            System.arraycopy(features, i * featureSize, featuresOut, (j - from) * featureSize, featureSize);
            labelsOut[j - from] = labels[i];
        }
    }

    /**
     * Returns the first {@code n} samples as a new data set (or this one if it has no more).
     *
     * @param n number of samples to keep, {@code >= 1}
     * @return a data set of {@code min(n, size())} samples
     */
    public Dataset head(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1");
        }
        if (n >= size()) {
            return this;
        }
        return new Dataset(name, Arrays.copyOf(features, n * featureSize), Arrays.copyOf(labels, n), sampleShape,
                classNames, kind, owners == null ? null : Arrays.copyOf(owners, n), ownerNames, false);
    }

    /**
     * Returns the samples at {@code indices}, in that order, as a new data set.
     *
     * @param indices sample indices
     * @return the selected samples
     */
    public Dataset select(int[] indices) {
        float[] f = new float[indices.length * featureSize];
        int[] l = new int[indices.length];
        gather(indices, 0, indices.length, f, l);
        int[] o = null;
        if (owners != null) {
            o = new int[indices.length];
            for (int j = 0; j < indices.length; j++) {
                o[j] = owners[indices[j]];
            }
        }
        return new Dataset(name, f, l, sampleShape, classNames, kind, o, ownerNames, false);
    }

    /**
     * Returns the same samples with every label mapped, as a new data set that shares this one's
     * features (they are not copied).
     *
     * @param mapping maps a label to a label in {@code [0, numClasses())}
     * @return the relabelled data set
     */
    public Dataset relabel(IntUnaryOperator mapping) {
        int[] mapped = new int[labels.length];
        for (int i = 0; i < mapped.length; i++) {
            mapped[i] = mapping.applyAsInt(labels[i]);
        }
        return new Dataset(name, features, mapped, sampleShape, classNames, kind, owners, ownerNames, false);
    }

    /** Returns the number of samples of each class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }
}
