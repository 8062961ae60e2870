package dev.splitfed.grpc.internal;

import com.google.protobuf.ByteString;
import dev.splitfed.InvalidInputException;
import dev.splitfed.compress.Codec;
import dev.splitfed.internal.compress.UpdateDecoder;
import dev.splitfed.grpc.proto.DownloadRequest;
import dev.splitfed.grpc.proto.FedServerServiceGrpc;
import dev.splitfed.grpc.proto.SubmitReply;
import dev.splitfed.grpc.proto.WeightsChunk;
import dev.splitfed.grpc.proto.WeightsHeader;
import dev.splitfed.internal.role.FedServer;
import dev.splitfed.internal.role.SubmissionGate;
import dev.splitfed.internal.transport.TrafficMeter;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;

/** Serves a {@link FedServer} over gRPC: weights stream down and up in chunks. */
public final class FedServerGrpcService extends FedServerServiceGrpc.FedServerServiceImplBase {

    private final FedServer server;
    private final long maxValues;
    private final UpdateDecoder updates;
    private final Admission admission;
    private final SubmissionGate submissions;
    private final TrafficMeter meter;

    /**
     * Creates the service for a simulation's loopback, where the parties are the run's own.
     *
     * @param server the fed server, which checks the exact length of what it receives
     * @param maxValues the most values a submission may announce
     * @param codec how submitted weights are encoded
     */
    FedServerGrpcService(FedServer server, long maxValues, Codec codec) {
        this(server, maxValues, codec, null, null, null);
    }

    /**
     * Creates the service for a deployment's clients: only joined clients are served, and a
     * submission's header must name a round the server expects from the client, the exact number of
     * values it expects ({@link SubmissionGate#expects}) and a sample count within the client's bound,
     * before any of its payload is buffered.
     *
     * @param server the fed server
     * @param maxValues the most values a submission may announce where there is no admission
     * @param codec how submitted weights are encoded
     * @param admission the deployment's book of its clients, or null in a simulation
     * @param submissions what the fed server expects of a submission; with the admission
     * @param meter where bytes refused at the header or in the stream are counted, or null
     */
    FedServerGrpcService(FedServer server, long maxValues, Codec codec, Admission admission, SubmissionGate submissions,
            TrafficMeter meter) {
        this.server = server;
        this.maxValues = maxValues;
        this.updates = new UpdateDecoder(codec);
        this.admission = admission;
        this.submissions = submissions;
        this.meter = meter;
    }

    @Override
    public void download(DownloadRequest request, StreamObserver<WeightsChunk> responses) {
        try {
            PeerIdentity.authorize(request.getClientId());
            if (admission != null) {
                admission.requireJoined(request.getClientId());
            }
            float[] weights = server.download(request.getClientId(), request.getRound());
            updates.sent(request.getClientId(), weights);
            List<WeightsChunk> chunks = WeightsStream.chunks(request.getClientId(), request.getRound(), weights, 0);
            new FlowControlledSender<>((ServerCallStreamObserver<WeightsChunk>) responses).start(chunks.iterator());
        } catch (RuntimeException e) {
            responses.onError(Statuses.toStatus(e));
        }
    }

    @Override
    public StreamObserver<WeightsChunk> submit(StreamObserver<SubmitReply> reply) {
        return new ChunkedRequest<>(reply, "submission", false) {
            private WeightsHeader header;

            @Override
            boolean hasHeader(WeightsChunk chunk) {
                return chunk.hasHeader();
            }

            @Override
            ByteString values(WeightsChunk chunk) {
                return chunk.getValues();
            }

            @Override
            TensorChunks.Assembler start(WeightsChunk first) {
                header = first.getHeader();
                int client = header.getClientId();
                PeerIdentity.authorize(client);
                if (header.getTensor().getShapeCount() != 1) {
                    throw TensorChunks.invalid("client " + client + " sent weights that are not a vector");
                }
                if (admission == null) {
                    return new TensorChunks.Assembler(
                            header.getTensor(), updates.codec(), maxValues, "client " + client + "'s weights");
                }
                admission.requireJoined(client);
                admission.checkSamples(client, header.getSamples());
                int expected;
                try {
                    expected = submissions.expects(client, header.getRound());
                } catch (InvalidInputException e) {
                    throw TensorChunks.invalid(e.getMessage());
                }
                if (header.getTensor().getShape(0) != expected) {
                    throw TensorChunks.invalid("client " + client + " announced " + header.getTensor().getShape(0)
                            + " values for round " + header.getRound() + "; the server expects exactly " + expected);
                }
                return new TensorChunks.Assembler(
                        header.getTensor(), updates.codec(), expected, "client " + client + "'s weights");
            }

            @Override
            void refused(long bytes) {
                if (meter != null) {
                    meter.refused(bytes);
                }
            }

            @Override
            void finish(TensorChunks.Assembler weights) {
                float[] values;
                try {
                    values = updates.decode(header.getClientId(), weights.payload(), weights.values());
                } catch (InvalidInputException e) {
                    throw TensorChunks.invalid("client " + header.getClientId() + "'s weights do not decode: " + e.getMessage());
                }
                server.submit(header.getClientId(), header.getRound(), values, header.getSamples());
                if (admission != null) {
                    admission.handedIn(header.getClientId(), header.getRound());
                }
            }

            @Override
            void end() {
                reply.onNext(SubmitReply.getDefaultInstance());
                reply.onCompleted();
            }
        };
    }
}
