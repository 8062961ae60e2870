package dev.splitfed.internal.attack;

/**
 * Label inference from the gradients that cross the split: cluster one gradient vector per sample
 * into as many clusters as there are classes, then name the clusters by the one-to-one
 * cluster-to-label assignment that gets the most samples right, and report that accuracy. This is
 * the clustering attack of Liu and Lyu 2022 ("Clustering label inference attack against practical
 * split learning"); Li et al. 2022 ("Label leakage and protection in two-party split learning")
 * show why it works: a sample's gradient at the split is the last layers' Jacobian applied to
 * softmax(z) - onehot(y), whose direction is dominated by the label.
 *
 * <p>The best assignment uses the true labels, so the figure is an upper bound on what an attacker
 * who must still guess which cluster is which would score, and the usual measure in the
 * literature (clustering accuracy). The chance level is the largest class's share: what naming
 * every sample with the most common label scores.
 */
public final class LabelInference {

    /** Restarts of k-means; the best clustering by its own objective is kept. */
    public static final int RESTARTS = 10;
    /** Lloyd iterations per restart at most. */
    static final int MAX_ITERATIONS = 100;

    private LabelInference() {}

    /**
     * What the attack achieved.
     *
     * @param accuracy the share of samples whose cluster's assigned label is their label
     * @param chance the largest class's share of the samples
     * @param clusters each sample's cluster
     * @param labelOfCluster the label assigned to each cluster
     */
    public record Result(double accuracy, double chance, int[] clusters, int[] labelOfCluster) {}

    /**
     * Runs the attack.
     *
     * @param gradients one gradient vector per sample, all of one length
     * @param labels each sample's true label, in {@code [0, numClasses)}
     * @param numClasses the number of classes, the number of clusters
     * @param seed the clustering's seed
     * @return the accuracy under the best assignment and the chance level
     */
    public static Result attack(float[][] gradients, int[] labels, int numClasses, long seed) {
        if (gradients.length != labels.length || labels.length < numClasses) {
            throw new IllegalArgumentException("need one label per gradient and at least " + numClasses + " samples");
        }
        int[] clusters = new KMeans(numClasses, RESTARTS, MAX_ITERATIONS, seed).cluster(gradients);
        return score(clusters, labels, numClasses);
    }

    /**
     * Scores a clustering against the true labels under the best one-to-one assignment.
     *
     * @param clusters each sample's cluster, in {@code [0, numClasses)}
     * @param labels each sample's label, in {@code [0, numClasses)}
     * @param numClasses clusters and classes
     * @return the accuracy, the chance level and the assignment
     */
    public static Result score(int[] clusters, int[] labels, int numClasses) {
        long[][] counts = new long[numClasses][numClasses];
        long[] perClass = new long[numClasses];
        for (int i = 0; i < labels.length; i++) {
            counts[clusters[i]][labels[i]]++;
            perClass[labels[i]]++;
        }
        int[] labelOf = Assignment.maximise(counts);
        long right = 0;
        for (int c = 0; c < numClasses; c++) {
            right += counts[c][labelOf[c]];
        }
        long largest = 0;
        for (long n : perClass) {
            largest = Math.max(largest, n);
        }
        return new Result((double) right / labels.length, (double) largest / labels.length, clusters, labelOf);
    }
}
