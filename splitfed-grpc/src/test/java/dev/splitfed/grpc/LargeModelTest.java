package dev.splitfed.grpc;

import dev.splitfed.grpc.internal.GrpcFedServer;
import dev.splitfed.grpc.internal.GrpcTransport;
import dev.splitfed.grpc.internal.RoleServer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.internal.aggregate.Aggregation;
import dev.splitfed.compress.Codec;
import dev.splitfed.internal.role.FedAvgServer;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A ResNet-18-sized model (11.2 M parameters, 45 MB) passes both ways in 1 MiB chunks. */
@Tag("long")
class LargeModelTest {

    @Test
    void resnetSizedWeightsStreamDownAndUp() {
        float[] weights = new float[11_200_000];
        Random random = new Random(3);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) random.nextGaussian();
        }
        FedAvgServer fed = new FedAvgServer(weights, Aggregation.fedAvg());
        fed.beginRound(1, List.of(0));
        Pki pki = Pki.create();
        try (RoleServer server = RoleServer.start(0, new TlsMaterial(pki.caPem(), pki.server(List.of("localhost"))), Codec.NONE, fed, null)) {
            ManagedChannel channel = RoleServer.channel("localhost", server.port(), new TlsMaterial(pki.caPem(), pki.client(0)));
            try {
                GrpcFedServer remote = new GrpcFedServer(channel, GrpcTransport.MAX_VALUES, Duration.ofMinutes(2), Codec.NONE);
                float[] down = remote.download(0, 1);
                // Arrays.equals: AssertJ's element-wise diff is quadratic on 11 M values.
                assertThat(Arrays.equals(down, weights)).isTrue();
                for (int i = 0; i < down.length; i++) {
                    down[i] *= 0.5f;
                }
                remote.submit(0, 1, down, 100);
            } finally {
                channel.shutdownNow();
            }
        }
        fed.endRound();
        float[] global = fed.globalWeights();
        assertThat(global[0]).isEqualTo(weights[0] * 0.5f);
        assertThat(global[weights.length - 1]).isEqualTo(weights[weights.length - 1] * 0.5f);
    }
}
