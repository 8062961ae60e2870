package dev.splitfed.data;

import dev.splitfed.internal.data.DirichletPartitioner;
import dev.splitfed.internal.data.IidPartitioner;
import dev.splitfed.internal.data.ShardPartitioner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import org.junit.jupiter.api.Test;

class PartitionerTest {

    @Test
    void parseReadsEachFormAndSpecWritesItBack() {
        assertThat(Partitioner.parse("iid")).isEqualTo(new IidPartitioner());
        assertThat(Partitioner.parse("dirichlet:0.5")).isEqualTo(new DirichletPartitioner(0.5));
        assertThat(Partitioner.parse("shards:2")).isEqualTo(new ShardPartitioner(2));
        assertThat(Partitioner.parse("iid").spec()).isEqualTo("iid");
        assertThat(Partitioner.parse("dirichlet:0.50").spec()).isEqualTo("dirichlet:0.5");
        assertThat(Partitioner.parse("dirichlet:10").spec()).isEqualTo("dirichlet:10");
        assertThat(Partitioner.parse("dirichlet:1e-2").spec()).isEqualTo("dirichlet:0.01");
        assertThat(Partitioner.parse("shards:3").spec()).isEqualTo("shards:3");
    }

    @Test
    void unknownSpecListsValidForms() {
        assertThatThrownBy(() -> Partitioner.parse("noniid"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("unknown partition 'noniid'; expected iid, dirichlet:ALPHA (ALPHA > 0, e.g. dirichlet:0.5),"
                        + " shards:N (N >= 1, e.g. shards:2) or natural.");
    }

    @Test
    void badAlphaIsRejected() {
        assertThatThrownBy(() -> Partitioner.parse("dirichlet:abc"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the partition 'dirichlet:abc' needs a number ALPHA > 0 after 'dirichlet:', not 'abc'.");
        assertThatThrownBy(() -> Partitioner.parse("dirichlet:0"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("dirichlet:ALPHA needs a finite ALPHA of at least 0.001, not 0.0.");
        assertThatThrownBy(() -> Partitioner.parse("dirichlet:Infinity"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("dirichlet:ALPHA needs a finite ALPHA of at least 0.001, not Infinity.");
        assertThatThrownBy(() -> Partitioner.parse("dirichlet:NaN"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("dirichlet:ALPHA needs a finite ALPHA of at least 0.001, not NaN.");
    }

    @Test
    void badShardCountIsRejected() {
        assertThatThrownBy(() -> Partitioner.parse("shards:0"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("shards:N needs N >= 1 shards per client, not 0.");
        assertThatThrownBy(() -> Partitioner.parse("shards:two"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the partition 'shards:two' needs a whole number N >= 1 after 'shards:', not 'two'.");
    }

    @Test
    void fewerThanOneClientIsRejected() {
        assertThatThrownBy(() -> new IidPartitioner().partition(new int[] {0, 1, 0}, 2, 0, 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the number of clients must be at least 1, not 0.");
    }

    @Test
    void moreClientsThanSamplesIsRejectedByEveryPartitioner() {
        Partitioner[] all = {new IidPartitioner(), new DirichletPartitioner(1), new ShardPartitioner(1)};
        for (Partitioner p : all) {
            assertThatThrownBy(() -> p.partition(new int[] {0, 1, 0}, 2, 5, 1))
                    .as(p.spec())
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("5 clients need at least 5 training samples, but only 3 are available.");
        }
    }
}
