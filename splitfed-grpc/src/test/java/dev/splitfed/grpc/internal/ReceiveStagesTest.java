package dev.splitfed.grpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.splitfed.InvalidInputException;
import dev.splitfed.grpc.proto.CoordinatorServiceGrpc;
import dev.splitfed.grpc.proto.ModelStageChunk;
import dev.splitfed.grpc.proto.ModelStagesRequest;
import dev.splitfed.model.TorchScriptModel;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client takes only the stages its server announced, of the announced size and digest, and writes nothing else. */
class ReceiveStagesTest {

    private static final byte[] STAGE = "a stage's bytes".getBytes(StandardCharsets.UTF_8);

    private Server server;
    private ManagedChannel channel;

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.shutdownNow();
        }
    }

    /** Serves exactly the given chunks to every request. */
    private RemoteClient serving(List<ModelStageChunk> chunks) throws IOException {
        server = ServerBuilder.forPort(0).addService(new CoordinatorServiceGrpc.CoordinatorServiceImplBase() {
            @Override
            public void modelStages(ModelStagesRequest request, StreamObserver<ModelStageChunk> reply) {
                chunks.forEach(reply::onNext);
                reply.onCompleted();
            }
        }).build().start();
        channel = RoleServer.channel("localhost", server.getPort(), null);
        return new RemoteClient(channel, 0, Duration.ofSeconds(10), Duration.ofSeconds(5),
                new PrintWriter(Writer.nullWriter()));
    }

    private static ModelStageChunk chunk(int stage, long size, byte[] content) {
        return ModelStageChunk.newBuilder().setStage(stage).setSize(size).setContent(ByteString.copyFrom(content)).build();
    }

    @Test
    void theAnnouncedStageArrivesWhole(@TempDir Path dir) throws IOException {
        byte[] first = java.util.Arrays.copyOf(STAGE, 5);
        byte[] rest = java.util.Arrays.copyOfRange(STAGE, 5, STAGE.length);
        RemoteClient client = serving(List.of(chunk(0, STAGE.length, first),
                ModelStageChunk.newBuilder().setContent(ByteString.copyFrom(rest)).build()));
        client.receiveStages(Map.of(0, TorchScriptModel.sha256(STAGE)), dir);
        assertThat(Files.readAllBytes(dir.resolve("stage0.pt"))).isEqualTo(STAGE);
    }

    @Test
    void anUnannouncedStageMoreBytesThanAnnouncedOrAnotherDigestIsRefusedAndNothingWritten(@TempDir Path dir)
            throws IOException {
        Map<Integer, String> announced = Map.of(0, TorchScriptModel.sha256(STAGE));
        assertThatThrownBy(() -> serving(List.of(chunk(3, STAGE.length, STAGE))).receiveStages(announced, dir))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the server sent stage 3, which it did not announce for this client ([0])");
        stop();
        assertThatThrownBy(() -> serving(List.of(chunk(0, 4, STAGE))).receiveStages(announced, dir))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the server sent more bytes for stage 0 than the 4 it announced");
        stop();
        assertThatThrownBy(() -> serving(List.of(chunk(0, 1L << 40, STAGE))).receiveStages(announced, dir))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("the server announced 1099511627776 bytes for stage 0; a stage has 0 to ");
        stop();
        byte[] other = "other bytes of the same use".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> serving(List.of(chunk(0, other.length, other))).receiveStages(announced, dir))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("stage 0 as received has SHA-256 " + TorchScriptModel.sha256(other) + ", not the announced "
                        + announced.get(0));
        assertThat(dir).isEmptyDirectory();
    }
}
