package dev.splitfed.scheme;

import dev.splitfed.internal.scheme.ClientPool;
import dev.splitfed.internal.scheme.Evaluation;
import dev.splitfed.data.Dataset;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.model.Architecture;

/**
 * Evaluates, on every client's held-out samples, the model that client would use: the global
 * model, or with FedPer the global base with the client's own head (Arivazhagan et al. 2019
 * evaluate each client's personalised model on its own test data), with FedBN the client's own
 * batch-normalisation values in its part of the model.
 */
final class PersonalEvaluation {

    private final Architecture architecture;
    private final int cut;
    private final Dataset train;
    private final int[][] holdout;
    private final boolean personalHead;
    /** With FedBN, the layout of a client's vector (null in fl: the whole model); else unused. */
    private final SplitLayout localBnLayout;
    private final boolean localBn;

    /**
     * Prepares the evaluation of a run.
     *
     * @param architecture the network
     * @param cut the cut that fixes the weight layout
     * @param train the training set the held-out samples are taken from
     * @param holdout each client's held-out samples
     * @param personalHead whether each client keeps its own head (FedPer)
     * @param localBn whether each client keeps its own batch normalisation (FedBN)
     * @param layout with FedBN in a split scheme, the client's layout; else null
     */
    PersonalEvaluation(Architecture architecture, int cut, Dataset train, int[][] holdout, boolean personalHead,
            boolean localBn, SplitLayout layout) {
        this.localBn = localBn;
        this.localBnLayout = layout;
        this.architecture = architecture;
        this.cut = cut;
        this.train = train;
        this.holdout = holdout;
        this.personalHead = personalHead;
    }

    /**
     * The clients' accuracies on their own held-out samples.
     *
     * @param overall correct predictions over all held-out samples
     * @param lowest the lowest client's accuracy
     * @param highest the highest client's accuracy
     */
    record Accuracy(double overall, double lowest, double highest) {}

    /**
     * Evaluates each client's model on its held-out samples.
     *
     * @param clients the pool that holds the clients' heads
     * @param global the global model
     * @return the accuracies, or null when no samples are held out or the clients' heads are out
     *     of reach (remote clients)
     */
    Accuracy evaluate(ClientPool clients, float[] global) {
        long correct = 0;
        long total = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < holdout.length; k++) {
            if (holdout[k].length == 0) {
                continue;
            }
            float[] weights = global;
            if (personalHead) {
                float[] head = clients.personalHead(k);
                if (head == null) {
                    return null;
                }
                // The head is the network's last stage: the tail of the whole vector.
                weights = global.clone();
                System.arraycopy(head, 0, weights, weights.length - head.length, head.length);
            }
            if (localBn) {
                float[] own = clients.localBn(k, localBnLayout == null ? weights : localBnLayout.clientPart(weights));
                if (own == null) {
                    return null;
                }
                weights = localBnLayout == null ? own : localBnLayout.whole(own, localBnLayout.serverPart(weights));
            }
            Evaluation own = Evaluation.of(architecture, cut, weights, train.select(holdout[k]));
            correct += Math.round(own.accuracy() * holdout[k].length);
            total += holdout[k].length;
            min = Math.min(min, own.accuracy());
            max = Math.max(max, own.accuracy());
        }
        return total == 0 ? null : new Accuracy((double) correct / total, min, max);
    }
}
