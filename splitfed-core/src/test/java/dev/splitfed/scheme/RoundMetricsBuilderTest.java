package dev.splitfed.scheme;

import dev.splitfed.internal.scheme.Evaluation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.internal.transport.TrafficMeter;
import org.junit.jupiter.api.Test;

/** A round's metrics filled by topic: every value lands in its field, and what was not given stays null. */
class RoundMetricsBuilderTest {

    @Test
    void eachTopicFillsItsFieldsAndTheRestStayNull() {
        TrafficMeter meter = new TrafficMeter();
        meter.up(10);
        meter.down(20);
        RoundMetrics m = new RoundMetricsBuilder(4, Scheme.SFLV1, 3)
                .evaluation(new Evaluation(0.8, 0.9, 0.5), false)
                .trainLoss(6, 3)
                .seconds(1.5, 0.25)
                .traffic(meter, 99)
                .build();
        assertThat(m).isEqualTo(new RoundMetrics(4, "sflv1", 3, 0.8, 0.5, 2.0, 1.5, 0.25, 10, 20, 99, 0,
                null, null, null, null, null, null, null, null));
    }

    @Test
    void aNextWordModelReportsTopThreeAndPerplexityAndTheOptionalTopicsLandInPlace() {
        RoundMetrics m = new RoundMetricsBuilder(1, Scheme.FL, 0)
                .evaluation(new Evaluation(0.2, 0.4, 2.0), true)
                .trainLoss(0, 0)
                .seconds(1, 2)
                .traffic(new TrafficMeter(), 7)
                .epsilons(1.25, 0.5)
                .simSeconds(30.0)
                .personal(new PersonalEvaluation.Accuracy(0.7, 0.6, 0.9))
                .build();
        assertThat(m.trainLoss()).as("no samples seen").isNaN();
        assertThat(m.epsilon()).isEqualTo(1.25);
        assertThat(m.userEpsilon()).isEqualTo(0.5);
        assertThat(m.simSeconds()).isEqualTo(30.0);
        assertThat(m.personalAccuracy()).isEqualTo(0.7);
        assertThat(m.personalAccuracyMin()).isEqualTo(0.6);
        assertThat(m.personalAccuracyMax()).isEqualTo(0.9);
        assertThat(m.top3Accuracy()).isEqualTo(0.4);
        assertThat(m.perplexity()).isEqualTo(Math.exp(2.0));
    }

    @Test
    void aRequiredTopicLeftOutIsAnInternalFault() {
        assertThatThrownBy(() -> new RoundMetricsBuilder(2, Scheme.FL, 1)
                .evaluation(new Evaluation(0.5, 0.5, 1), false).trainLoss(1, 1).seconds(1, 1).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("round 2");
    }
}
