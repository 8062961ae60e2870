package dev.splitfed.scheme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.splitfed.compress.Codec;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The compression target of the speed issue: full Fashion-MNIST, LeNet-5 cut 1, 5 IID clients,
 * sflv1, 10 rounds. int8 moves at least 3.9 times fewer bytes per round than float32 and ends
 * within 0.5 points of its test accuracy. About two minutes: run with {@code mvn verify -Pslow}.
 */
@Tag("slow")
class CompressedAccuracyTest {

    @Test
    void int8CutsSflv1BytesByAtLeast3point9AndKeepsAccuracyWithinHalfAPoint() {
        DataSplit data = DatasetCatalog.load("fashion-mnist", null, Map.of());
        assertThat(data.sample()).as("the full Fashion-MNIST set is installed").isFalse();
        SimulationResult plain = run(data, Codec.NONE);
        SimulationResult int8 = run(data, Codec.parse("int8"));
        RoundMetrics a = plain.rounds().get(9);
        RoundMetrics b = int8.rounds().get(9);
        assertThat((double) a.bytes() / b.bytes()).isGreaterThanOrEqualTo(3.9);
        assertThat(b.testAccuracy()).isCloseTo(a.testAccuracy(), within(0.005));
    }

    private static SimulationResult run(DataSplit data, Codec codec) {
        SimulationConfig config = SimulationConfig.builder().optScheme(Scheme.SFLV1).optCompress(codec).build();
        return new Simulation(config, data, "lenet5").run(new SimulationListener() {});
    }
}
