package dev.splitfed.grpc;

import dev.splitfed.grpc.internal.GrpcFedServer;
import dev.splitfed.grpc.internal.GrpcMainServer;
import dev.splitfed.grpc.internal.GrpcSecAggServer;
import dev.splitfed.grpc.internal.GrpcTransport;
import dev.splitfed.grpc.internal.RoleServer;
import dev.splitfed.grpc.internal.SecAggGrpcService;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.splitfed.compress.Codec;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.internal.role.FedServer;
import dev.splitfed.internal.role.MainServer;
import dev.splitfed.internal.secagg.SecAggServer;
import dev.splitfed.scheme.RoundMetrics;
import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.Simulation;
import dev.splitfed.scheme.SimulationConfig;
import dev.splitfed.scheme.SimulationListener;
import dev.splitfed.internal.transport.TrafficMeter;
import dev.splitfed.internal.transport.Transport;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bytes on the wire (TLS, HTTP/2 and gRPC framing included) against the cost model: within 3%. */
@Tag("deployment")
class WireBytesTest {

    /** The gRPC transport with a counting relay between every client channel and its server. */
    private static final class ProxiedTransport implements Transport {
        private final TrafficMeter meter = new TrafficMeter();
        private final Pki pki = Pki.create();
        private final List<AutoCloseable> open = new ArrayList<>();
        private final List<CountingProxy> proxies = new ArrayList<>();

        private ManagedChannel channel(FedServer fed, MainServer main, BindableService... more) {
            RoleServer server = RoleServer.start(
                    0, new TlsMaterial(pki.caPem(), pki.server(List.of("localhost"))), Codec.NONE, fed, main, more);
            open.add(server);
            try {
                CountingProxy proxy = new CountingProxy(server.port());
                proxies.add(proxy);
                open.add(proxy);
                ManagedChannel channel = RoleServer.channel("localhost", proxy.port(), new TlsMaterial(pki.caPem(), pki.simulator()));
                open.add(channel::shutdownNow);
                return channel;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public FedServer connect(FedServer server) {
            return meter.count(new GrpcFedServer(channel(server, null), GrpcTransport.MAX_VALUES, Duration.ofMinutes(1), Codec.NONE), Codec.NONE);
        }

        @Override
        public MainServer connect(MainServer server) {
            return meter.count(new GrpcMainServer(channel(null, server), Duration.ofMinutes(1), Codec.NONE), Codec.NONE);
        }

        @Override
        public SecAggServer connect(SecAggServer server) {
            return meter.count(new GrpcSecAggServer(
                    channel(null, null, new SecAggGrpcService(server, GrpcTransport.MAX_VALUES)), Duration.ofMinutes(1)));
        }

        @Override
        public TrafficMeter meter() {
            return meter;
        }

        long wireBytes() {
            return proxies.stream().mapToLong(p -> p.bytesToServer() + p.bytesToClient()).sum();
        }

        @Override
        public void close() {
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing after the measurement
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"FL, false", "SFLV1, false", "FL, true"})
    void wireBytesAreWithinThreePercentOfTheCostModel(Scheme scheme, boolean secureAgg) {
        DataSplit data = DatasetCatalog.load("fashion-mnist-sample", null, Map.of());
        SimulationConfig config = SimulationConfig.builder().optScheme(scheme).optClients(3).optLimit(1200)
                .optRounds(2).optThreads(1).optSecureAgg(secureAgg).build();
        try (ProxiedTransport transport = new ProxiedTransport()) {
            List<RoundMetrics> rounds =
                    new Simulation(config, data, "lenet5").run(new SimulationListener() {}, null, transport).rounds();
            long predicted = rounds.stream().mapToLong(RoundMetrics::predictedBytes).sum();
            long wire = transport.wireBytes();
            assertThat(wire).isGreaterThan(predicted);
            assertThat((double) wire).isCloseTo(predicted, withinPercentage(3));
        }
    }
}
