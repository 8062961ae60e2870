package dev.splitfed.scheme;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What one round produced; one line of {@code metrics.jsonl}.
 *
 * @param round the round, from 1
 * @param scheme the scheme's id
 * @param clients the number of clients that trained this round
 * @param testAccuracy the global model's accuracy on the whole test set
 * @param testLoss the global model's mean cross-entropy on the whole test set
 * @param trainLoss the mean training loss over every batch of the round
 * @param seconds wall-clock seconds of the round's training and aggregation
 * @param evalSeconds wall-clock seconds of the evaluation after the round
 * @param bytesUp payload bytes sent by clients this round
 * @param bytesDown payload bytes received by clients this round
 * @param predictedBytes the cost model's bytes (up plus down) for this round's participants
 * @param bytesRefused payload bytes parties sent that the receiver refused (a submission out of
 *     turn, an oversized or malformed message); they are not in {@code bytesUp}
 * @param epsilon the sample-level epsilon DP-SGD has spent so far (the largest of any client's), or
 *     null without DP-SGD
 * @param userEpsilon the user-level epsilon DP-FedAvg has spent so far, or null without it
 * @param simSeconds the simulated clock at the end of the round, cumulative from the run's start,
 *     or null for a run without one (no {@code --speeds}, {@code --deadline} or {@code --async})
 * @param personalAccuracy with held-out client samples ({@code --personal-holdout}), the accuracy
 *     over all of them of the model each client would use (with {@code --personal-head} the global
 *     base and the client's own head, else the global model): correct predictions over held-out
 *     samples, i.e. the clients' accuracies weighted by their held-out samples; else null
 * @param personalAccuracyMin the lowest of the clients' accuracies on their own held-out samples, or null
 * @param personalAccuracyMax the highest of the clients' accuracies on their own held-out samples, or null
 * @param top3Accuracy for a next-word model, the fraction of test words among its three most likely
 *     (a keyboard's three suggestions); else null
 * @param perplexity for a next-word model, e to the test loss; else null
 */
public record RoundMetrics(
        int round,
        String scheme,
        int clients,
        double testAccuracy,
        double testLoss,
        double trainLoss,
        double seconds,
        double evalSeconds,
        long bytesUp,
        long bytesDown,
        long predictedBytes,
        long bytesRefused,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double epsilon,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double userEpsilon,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double simSeconds,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double personalAccuracy,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double personalAccuracyMin,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double personalAccuracyMax,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double top3Accuracy,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double perplexity) {

    /** Returns the payload bytes of the round, up plus down. */
    public long bytes() {
        return bytesUp + bytesDown;
    }
}
