package dev.splitfed.grpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.compress.Codec;
import dev.splitfed.privacy.DpFedAvgConfig;
import dev.splitfed.privacy.DpSgdConfig;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.scheme.RoundMetrics;
import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.Simulation;
import dev.splitfed.scheme.SimulationConfig;
import dev.splitfed.scheme.SimulationListener;
import dev.splitfed.scheme.SimulationResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Every scheme trained over loopback gRPC with mutual TLS ends exactly where the in-process run does. */
@Tag("deployment")
class GrpcTransportTest {

    private static DataSplit data;

    @BeforeAll
    static void loadSample() {
        data = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());
    }

    @ParameterizedTest
    @EnumSource(value = Scheme.class, names = {"FL", "SL", "SFLV1", "SFLV2"})
    void schemeOverTlsEqualsInProcess(Scheme scheme) {
        assertSameRun(SimulationConfig.builder()
                .optScheme(scheme).optClients(3).optLimit(300).optBatchSize(32).optRounds(2).optThreads(1).build());
    }

    /** Codecs are deterministic, so a compressed run over the wire ends where the in-process one does, byte for byte. */
    @ParameterizedTest
    @CsvSource({"sflv1, int8", "sflv1, fp16", "sflv1, topk:0.2", "fl, int8", "sflv2, topk:0.5"})
    void compressedRunOverTlsEqualsInProcess(String scheme, String codec) {
        assertSameRun(SimulationConfig.builder()
                .optScheme(Scheme.parse(scheme)).optCompress(Codec.parse(codec))
                .optClients(3).optLimit(300).optBatchSize(32).optRounds(2).optThreads(1).build());
    }

    /** DP noise in a simulation comes from the run seed, so a private run over the wire ends where the in-process one does. */
    @ParameterizedTest
    @CsvSource({"sflv1, noise=1.0;clip=0.5, none", "fl, none, noise=0.5;clip=0.1", "sflv2, noise=0.8;clip=1, noise=1;clip=0.5"})
    void privateRunOverTlsEqualsInProcess(String scheme, String dpSgd, String dpFedAvg) {
        assertSameRun(SimulationConfig.builder()
                .optScheme(Scheme.parse(scheme))
                .optDpSgd(dpSgd.equals("none") ? null : DpSgdConfig.parse(dpSgd.replace(';', ',')))
                .optDpFedAvg(dpFedAvg.equals("none") ? null : DpFedAvgConfig.parse(dpFedAvg.replace(';', ',')))
                .optClients(3).optLimit(300).optBatchSize(32).optRounds(2).optThreads(1).build());
    }

    /** Private labels: two exchanges per batch on the stream, every tensor in the run's codec. */
    @ParameterizedTest
    @CsvSource({"sl, none", "sflv1, none", "sflv2, none", "sflv1, int8"})
    void privateLabelsOverTlsEqualInProcess(String scheme, String codec) {
        assertSameRun(SimulationConfig.builder()
                .optScheme(Scheme.parse(scheme)).optCompress(Codec.parse(codec)).optLabels(LabelSharing.PRIVATE)
                .optClients(3).optLimit(300).optBatchSize(32).optRounds(2).optThreads(1).build());
    }

    private static void assertSameRun(SimulationConfig config) {
        SimulationResult local = new Simulation(config, data, "lenet5").run(new SimulationListener() {});
        SimulationResult remote;
        try (GrpcTransport grpc = GrpcTransport.loopback(true, Duration.ofMinutes(1), config.compress())) {
            remote = new Simulation(config, data, "lenet5").run(new SimulationListener() {}, null, grpc);
        }
        assertThat(remote.globalWeights()).containsExactly(local.globalWeights());
        List<RoundMetrics> a = local.rounds();
        List<RoundMetrics> b = remote.rounds();
        for (int r = 0; r < a.size(); r++) {
            assertThat(b.get(r).testAccuracy()).isEqualTo(a.get(r).testAccuracy());
            assertThat(b.get(r).trainLoss()).isEqualTo(a.get(r).trainLoss());
            assertThat(b.get(r).bytesUp()).isEqualTo(a.get(r).bytesUp());
            assertThat(b.get(r).bytesDown()).isEqualTo(a.get(r).bytesDown());
            assertThat(b.get(r).epsilon()).isEqualTo(a.get(r).epsilon());
            assertThat(b.get(r).userEpsilon()).isEqualTo(a.get(r).userEpsilon());
        }
    }
}
