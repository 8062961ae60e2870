package dev.splitfed.grpc;

import dev.splitfed.grpc.internal.RemoteMainServer;
import dev.splitfed.grpc.internal.RoleServer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.internal.aggregate.Aggregation;
import dev.splitfed.compress.Codec;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.internal.role.SplitMainServer;
import dev.splitfed.scheme.OptimizerSpec;
import dev.splitfed.internal.transport.TrafficMeter;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A main server in its own process that restarts gets W_S back from the fed server before its next round. */
class MainServerRestartTest {

    private final Architecture arch = Architecture.create("mlp", new int[] {4}, 3);
    private final Pki pki = Pki.create();

    private SplitMainServer freshMain(float fill) {
        try (ModelPart part = ModelPart.create(arch, 1, arch.stages())) {
            float[] w = new float[part.size()];
            Arrays.fill(w, fill);
            return SplitMainServer.perClient(arch, SplitLayout.of(arch, 1, LabelSharing.SHARED), w,
                    new OptimizerSpec("sgd", 0.1f, 0), Aggregation.fedAvg());
        }
    }

    @Test
    void aRestartedMainServerIsHandedWsAgain() {
        TlsMaterial serverTls = new TlsMaterial(pki.caPem(), pki.server(List.of("localhost")));
        float[] fedCopy;
        try (ModelPart part = ModelPart.create(arch, 1, arch.stages())) {
            fedCopy = part.defaultInitialWeights(4, "s");
        }
        RoleServer first = RoleServer.startMain(0, serverTls, Codec.NONE, freshMain(0.5f), 64);
        int port = first.port();
        ManagedChannel channel = RoleServer.channel("localhost", port, new TlsMaterial(pki.caPem(), pki.fedServer()));
        try {
            RemoteMainServer remote = new RemoteMainServer(channel, fedCopy, Duration.ofSeconds(30), new TrafficMeter(), Codec.NONE);
            remote.beginRound(1, List.of(0));
            remote.endRound();
            assertThat(remote.globalWeights()).containsExactly(fedCopy);
            // The main server's process restarts: it comes back with W_S of its own (all 0.7).
            first.close();
            try (RoleServer second = RoleServer.startMain(port, serverTls, Codec.NONE, freshMain(0.7f), 64)) {
                remote.beginRound(2, List.of(0));
                remote.endRound();
                assertThat(remote.globalWeights()).as("W_S came back from the fed server").containsExactly(fedCopy);
            }
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void privateKeysAreReadableByTheirOwnerAlone(@TempDir Path dir) throws Exception {
        pki.client(3).write(dir, "client-3");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("client-3.key"))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("client-3.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
    }
}
