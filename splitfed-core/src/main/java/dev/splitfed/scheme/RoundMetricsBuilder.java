package dev.splitfed.scheme;

import dev.splitfed.internal.scheme.Evaluation;
import dev.splitfed.internal.transport.TrafficMeter;

/**
 * Fills a {@link RoundMetrics} topic by topic, so that a round driver names what it reports instead
 * of lining up nineteen arguments. Evaluation, training loss, seconds and traffic are required;
 * the rest stay null (left out of {@code metrics.jsonl}) unless given.
 */
final class RoundMetricsBuilder {

    private final int round;
    private final Scheme scheme;
    private final int clients;
    private Evaluation evaluation;
    private boolean languageModel;
    private Double trainLoss;
    private Double seconds;
    private Double evalSeconds;
    private TrafficMeter meter;
    private long predictedBytes;
    private Double epsilon;
    private Double userEpsilon;
    private Double simSeconds;
    private PersonalEvaluation.Accuracy personal;

    /**
     * Starts a round's metrics.
     *
     * @param round the round (under FedBuff: the server step), from 1
     * @param scheme the run's scheme
     * @param clients the number of clients whose work the round took in
     */
    RoundMetricsBuilder(int round, Scheme scheme, int clients) {
        this.round = round;
        this.scheme = scheme;
        this.clients = clients;
    }

    /** Sets the global model's figures on the test set; a next-word model's include top-3 accuracy and perplexity. */
    RoundMetricsBuilder evaluation(Evaluation evaluation, boolean languageModel) {
        this.evaluation = evaluation;
        this.languageModel = languageModel;
        return this;
    }

    /** Sets the mean training loss from the round's loss sum over the samples seen (NaN when none were). */
    RoundMetricsBuilder trainLoss(double lossSum, long samplesSeen) {
        this.trainLoss = samplesSeen == 0 ? Double.NaN : lossSum / samplesSeen;
        return this;
    }

    /** Sets the wall-clock seconds of training and aggregation, and of the evaluation after it. */
    RoundMetricsBuilder seconds(double training, double evaluation) {
        this.seconds = training;
        this.evalSeconds = evaluation;
        return this;
    }

    /** Sets the traffic: the payload bytes the meter counted this round, and what the cost model predicted. */
    RoundMetricsBuilder traffic(TrafficMeter meter, long predictedBytes) {
        this.meter = meter;
        this.predictedBytes = predictedBytes;
        return this;
    }

    /** Sets the privacy spent so far: sample-level and user-level epsilon, each null without its mechanism. */
    RoundMetricsBuilder epsilons(Double sample, Double user) {
        this.epsilon = sample;
        this.userEpsilon = user;
        return this;
    }

    /** Sets the simulated clock at the end of the round, or null for a run without one. */
    RoundMetricsBuilder simSeconds(Double simSeconds) {
        this.simSeconds = simSeconds;
        return this;
    }

    /** Sets the clients' accuracies on their own held-out samples, or null when there are none. */
    RoundMetricsBuilder personal(PersonalEvaluation.Accuracy personal) {
        this.personal = personal;
        return this;
    }

    /**
     * Returns the metrics, reading the meter's bytes now.
     *
     * @throws IllegalStateException if the evaluation, training loss, seconds or traffic were not given
     */
    RoundMetrics build() {
        if (evaluation == null || trainLoss == null || seconds == null || meter == null) {
            throw new IllegalStateException("round " + round + "'s metrics lack evaluation, loss, seconds or traffic");
        }
        return new RoundMetrics(
                round,
                scheme.id(),
                clients,
                evaluation.accuracy(),
                evaluation.loss(),
                trainLoss,
                seconds,
                evalSeconds,
                meter.bytesUp(),
                meter.bytesDown(),
                predictedBytes,
                meter.bytesRefused(),
                epsilon,
                userEpsilon,
                simSeconds,
                personal == null ? null : personal.overall(),
                personal == null ? null : personal.lowest(),
                personal == null ? null : personal.highest(),
                languageModel ? evaluation.top3Accuracy() : null,
                languageModel ? evaluation.perplexity() : null);
    }
}
