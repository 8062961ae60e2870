package dev.splitfed.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import dev.splitfed.aggregate.AggregatorProvider;
import dev.splitfed.aggregate.AggregatorSpec;
import dev.splitfed.aggregate.ClientUpdate;
import java.util.List;
import org.junit.jupiter.api.Test;

class MedianOfMeansTest {

    private static ClientUpdate update(int client, float... delta) {
        return new ClientUpdate(client, delta, 10);
    }

    @Test
    void medianOfThreeGroupMeansByHand() {
        // In client-id order: groups {0, 1}, {2, 3}, {4, 5}; means (2, 1), (6, -2), (25, 10);
        // medians per coordinate: 6 and 1. The updates arrive shuffled.
        List<ClientUpdate> updates = List.of(
                update(4, 100, 10), update(1, 3, 2), update(3, 7, 0),
                update(0, 1, 0), update(5, -50, 10), update(2, 5, -4));
        assertThat(new MedianOfMeans(3).aggregate(updates)).containsExactly(6f, 1f);
    }

    @Test
    void unevenGroupsAndAnEvenNumberOfGroups() {
        // Seven updates, two groups: {0, 1, 2, 3} with mean 2.5 and {4, 5, 6} with mean 20;
        // the median of two values is their mean, 11.25.
        List<ClientUpdate> updates = List.of(update(0, 1), update(1, 2), update(2, 3), update(3, 4),
                update(4, 10), update(5, 20), update(6, 30));
        assertThat(new MedianOfMeans(2).aggregate(updates)).containsExactly(11.25f);
        // One group is the unweighted mean: 70 / 7.
        assertThat(new MedianOfMeans(1).aggregate(updates)).containsExactly(10f);
    }

    @Test
    void oneOutlierMovesTheMeanButNotTheMedianOfMeans() {
        // Groups {0, 1}, {2, 3}, {4, 5} with means 1, 1 and 500.5: the median is 1, the mean 167.5.
        List<ClientUpdate> updates = List.of(update(0, 1), update(1, 1), update(2, 1), update(3, 1),
                update(4, 1), update(5, 1000));
        assertThat(new MedianOfMeans(3).aggregate(updates)).containsExactly(1f);
        assertThat(new MedianOfMeans(1).aggregate(updates)).containsExactly(167.5f);
    }

    @Test
    void fewerUpdatesThanGroupsIsTheCoordinateWiseMedian() {
        assertThat(new MedianOfMeans(5).aggregate(List.of(update(0, 1, 9), update(1, 4, 3), update(2, 2, 5))))
                .containsExactly(2f, 5f);
    }

    @Test
    void refusesNoGroupsAndUpdatesOfDifferentLengths() {
        assertThatThrownBy(() -> new MedianOfMeans(0)).hasMessage("groups must be >= 1, got 0");
        assertThatThrownBy(() -> new MedianOfMeans(1).aggregate(List.of(update(0, 1, 2), update(1, 3))))
                .hasMessage("client 1 sent 1 values, expected 2");
    }

    @Test
    void serviceLoaderFindsTheRuleByName() {
        assertThat(AggregatorProvider.registry().names()).endsWith("median-of-means");
        AggregatorSpec rule = AggregatorSpec.parse(" Median-Of-Means:3 ");
        assertThat(rule).isEqualTo(new MedianOfMeans(3));
        assertThat(rule.spec()).isEqualTo("median-of-means:3");
        assertThat(AggregatorSpec.parse(rule.spec())).isEqualTo(rule);
        assertThat(rule.minimumUpdates()).isEqualTo(3);
        assertThat(rule.isFedAvg()).isFalse();
    }

    @Test
    void theProviderRefusesAMissingOrBadGroupCount() {
        assertThatThrownBy(() -> AggregatorSpec.parse("median-of-means"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("median-of-means:G needs a whole number of groups G >= 1 after the colon, e.g. median-of-means:3");
        assertThatThrownBy(() -> AggregatorSpec.parse("median-of-means:0"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("median-of-means:G needs a whole number of groups G >= 1, not '0'");
        assertThatThrownBy(() -> AggregatorSpec.parse("median-of-means:2.5"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("median-of-means:G needs a whole number of groups G >= 1, not '2.5'");
    }
}
