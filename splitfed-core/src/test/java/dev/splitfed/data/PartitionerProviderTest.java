package dev.splitfed.data;

import dev.splitfed.internal.data.IidPartitioner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import dev.splitfed.registry.Plugins;
import org.junit.jupiter.api.Test;

class PartitionerProviderTest {

    @Test
    void listsTheBuiltInPartitionersInOrder() {
        assertThat(PartitionerProvider.registry().names()).containsExactly("iid", "dirichlet", "shards", "natural");
    }

    @Test
    void refusesArgumentsWhereNoneFitAndNoneWhereSomeAreNeeded() {
        assertThatThrownBy(() -> Partitioner.parse("iid:3"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the partition 'iid:3' takes nothing after 'iid'.");
        assertThatThrownBy(() -> Partitioner.parse("natural:"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the partition 'natural:' takes nothing after 'natural'.");
        assertThatThrownBy(() -> Partitioner.parse("dirichlet"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(
                        "the partition 'dirichlet' needs a number ALPHA > 0 after 'dirichlet:', e.g. dirichlet:0.5.");
        assertThatThrownBy(() -> Partitioner.parse("shards"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the partition 'shards' needs a whole number N >= 1 after 'shards:', e.g. shards:2.");
    }

    @Test
    void aPartitionerFromAPluginDividesTheSamples() {
        Partitioner stripes = Plugins.with("extensions", () -> Partitioner.parse("stripes:3"));

        assertThat(stripes).isEqualTo(new StripePartitioner(3));
        assertThat(stripes.spec()).isEqualTo("stripes:3");
        // Runs of three: samples 0-2 and 6-8 to client 0, 3-5 and 9 to client 1.
        assertThat(stripes.partition(new int[10], 1, 2, 7))
                .isDeepEqualTo(new int[][] {{0, 1, 2, 6, 7, 8}, {3, 4, 5, 9}});
        assertThat(Plugins.with("extensions", () -> PartitionerProvider.registry().names()))
                .containsExactly("iid", "dirichlet", "shards", "natural", "stripes");
        assertThatThrownBy(() -> Plugins.with("extensions", () -> Partitioner.parse("noniid")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("unknown partition 'noniid'; expected iid, dirichlet:ALPHA (ALPHA > 0, e.g. dirichlet:0.5),"
                        + " shards:N (N >= 1, e.g. shards:2), natural or stripes:N.");
        assertThatThrownBy(() -> Partitioner.parse("stripes:3"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("unknown partition 'stripes:3'; expected iid,");
    }

    @Test
    void aPluginThatClaimsABuiltInNameIsRefused() {
        assertThatThrownBy(() -> Plugins.with("duplicate", () -> Partitioner.parse("iid")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("partition 'iid' is provided twice, by dev.splitfed.data.BuiltInPartitioners$IidProvider"
                        + " and by dev.splitfed.data.ShadowIidProvider; each partition needs a name of its own.");
        assertThat(Partitioner.parse("iid")).isEqualTo(new IidPartitioner());
    }
}
