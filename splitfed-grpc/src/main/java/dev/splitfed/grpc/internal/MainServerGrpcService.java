package dev.splitfed.grpc.internal;

import com.google.protobuf.ByteString;
import dev.splitfed.compress.Codec;
import dev.splitfed.grpc.proto.MainServerServiceGrpc;
import dev.splitfed.grpc.proto.StepChunk;
import dev.splitfed.grpc.proto.StepHeader;
import dev.splitfed.grpc.proto.StepKind;
import dev.splitfed.internal.role.ForwardBackwardPairing;
import dev.splitfed.internal.role.MainServer;
import dev.splitfed.internal.role.StepResult;
import dev.splitfed.internal.transport.Tensor;
import dev.splitfed.internal.transport.TrafficMeter;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Serves a {@link MainServer} over gRPC: one bidirectional stream per client and round, a batch
 * up and its cut-layer gradient down, in turn, all encoded with the run's codec. With private
 * labels a batch is two exchanges: smashed data up and the middle's output down, then the
 * gradient at that output (of exactly the shape sent) up and the cut-layer gradient down.
 */
public final class MainServerGrpcService extends MainServerServiceGrpc.MainServerServiceImplBase {

    private final MainServer server;
    private final long maxValues;
    private final Codec codec;
    private final Admission admission;
    private final int[] cutShape;
    private final int maxRows;
    private final TrafficMeter meter;

    /**
     * Creates the service.
     *
     * @param server the main server
     * @param maxValues the most smashed-data values one batch may announce
     * @param codec how smashed data and gradients are encoded
     */
    MainServerGrpcService(MainServer server, long maxValues, Codec codec) {
        this(server, maxValues, codec, null, null, 0, null);
    }

    /**
     * Creates the service for a deployment's clients: only joined clients are served, and smashed
     * data must have the cut's shape and at most {@code maxRows} rows, checked at its header before
     * any payload is buffered.
     *
     * @param server the main server
     * @param maxValues the most values a tensor may announce where no cut shape is given
     * @param codec how tensors are encoded
     * @param admission the deployment's book of its clients, or null in a simulation
     * @param cutShape the shape of one sample's smashed data, or null to accept any up to {@code maxValues}
     * @param maxRows the most rows a batch of smashed data may have
     * @param meter where bytes refused at the header or in the stream are counted, or null
     */
    MainServerGrpcService(MainServer server, long maxValues, Codec codec, Admission admission, int[] cutShape,
            int maxRows, TrafficMeter meter) {
        this.server = server;
        this.maxValues = maxValues;
        this.codec = codec;
        this.admission = admission;
        this.cutShape = cutShape == null ? null : cutShape.clone();
        this.maxRows = maxRows;
        this.meter = meter;
    }

    @Override
    public StreamObserver<StepChunk> step(StreamObserver<StepChunk> responses) {
        FlowControlledSender<StepChunk> sender =
                new FlowControlledSender<>((ServerCallStreamObserver<StepChunk>) responses);
        return new ChunkedRequest<>(responses, "batch", true) {
            private StepHeader header;
            private StepHeader first;
            private final ForwardBackwardPairing<Void> pairing = new ForwardBackwardPairing<>();

            @Override
            boolean hasHeader(StepChunk chunk) {
                return chunk.hasHeader();
            }

            @Override
            ByteString values(StepChunk chunk) {
                return chunk.getValues();
            }

            @Override
            TensorChunks.Assembler start(StepChunk chunk) {
                header = chunk.getHeader();
                if (first == null) {
                    PeerIdentity.authorize(header.getClientId());
                    if (admission != null) {
                        admission.requireJoined(header.getClientId());
                    }
                    first = header;
                } else if (header.getClientId() != first.getClientId() || header.getRound() != first.getRound()) {
                    throw TensorChunks.invalid("a stream carries the batches of one client in one round: client "
                            + first.getClientId() + ", round " + first.getRound());
                }
                if (sender.sending()) {
                    throw TensorChunks.invalid("client " + header.getClientId()
                            + " sent a batch before the previous batch's gradient had arrived");
                }
                int client = header.getClientId();
                String what = "client " + client + "'s smashed data";
                switch (header.getKind()) {
                    case LABELLED_STEP -> {
                        // The labels bound the batch (they arrive in one message), before any allocation.
                        if (header.getTensor().getShapeCount() < 1
                                || header.getTensor().getShape(0) != header.getLabelsCount()) {
                            throw TensorChunks.invalid("client " + client + " sent " + header.getLabelsCount()
                                    + " labels for smashed data of shape " + header.getTensor().getShapeList());
                        }
                    }
                    case FORWARD, BACKWARD -> {
                        if (header.getLabelsCount() > 0) {
                            throw TensorChunks.invalid("client " + client + " sent labels with a "
                                    + header.getKind() + " tensor, which carries none");
                        }
                        if (header.getKind() == StepKind.FORWARD) {
                            pairing.checkForward(client);
                        }
                        if (header.getKind() == StepKind.BACKWARD) {
                            int[] shape = header.getTensor().getShapeList().stream().mapToInt(Integer::intValue).toArray();
                            ForwardBackwardPairing.Forward<Void> due = pairing.due(client);
                            if (due == null || !Arrays.equals(shape, due.middleShape())) {
                                throw TensorChunks.invalid("client " + client + " sent a gradient of shape "
                                        + Arrays.toString(shape) + ", expected "
                                        + (due == null ? "smashed data first" : Arrays.toString(due.middleShape())));
                            }
                            what = "client " + client + "'s middle-output gradient";
                        }
                    }
                    default -> throw TensorChunks.invalid("client " + client + " sent a tensor of unknown kind "
                            + header.getKindValue());
                }
                if (cutShape != null && header.getKind() != StepKind.BACKWARD) {
                    checkSmashedShape(client, header.getTensor().getShapeList());
                }
                return new TensorChunks.Assembler(header.getTensor(), codec, maxValues, what);
            }

            @Override
            void refused(long bytes) {
                if (meter != null) {
                    meter.refused(bytes);
                }
            }

            @Override
            void finish(TensorChunks.Assembler batch) {
                int client = header.getClientId();
                int round = header.getRound();
                Tensor tensor = new Tensor(batch.shape(), batch.decode());
                Tensor answer;
                float loss = 0;
                switch (header.getKind()) {
                    case FORWARD -> {
                        answer = server.forward(client, round, tensor);
                        pairing.forwarded(client, tensor.shape(), answer.shape(), null);
                    }
                    case BACKWARD -> {
                        pairing.clear(client);
                        answer = server.backward(client, round, tensor);
                    }
                    default -> {
                        int[] labels = header.getLabelsList().stream().mapToInt(Integer::intValue).toArray();
                        StepResult result = server.step(client, round, tensor, labels);
                        answer = result.cutGradient();
                        loss = result.loss();
                    }
                }
                List<StepChunk> reply = new ArrayList<>();
                for (ByteString part : TensorChunks.split(codec.encode(answer.data()))) {
                    StepChunk.Builder chunk = StepChunk.newBuilder().setValues(part);
                    if (reply.isEmpty()) {
                        chunk.setHeader(StepHeader.newBuilder()
                                .setClientId(client)
                                .setRound(round)
                                .setKind(header.getKind())
                                .setTensor(TensorChunks.header(answer.shape(), codec))
                                .setLoss(loss));
                    }
                    reply.add(chunk.build());
                }
                sender.feed(reply.iterator());
            }

            @Override
            void end() {
                server.finished(first.getClientId(), first.getRound());
                sender.finish();
            }

            // A stream that broke off between a batch's forward and backward leaves nothing waiting.
            @Override
            void failed() {
                if (first != null) {
                    server.finished(first.getClientId(), first.getRound());
                }
            }
        };
    }

    /** Refuses smashed data whose header does not announce [rows, cut shape] with 1 to maxRows rows. */
    private void checkSmashedShape(int client, List<Integer> shape) {
        boolean fits = shape.size() == cutShape.length + 1 && shape.get(0) >= 1 && shape.get(0) <= maxRows;
        for (int d = 0; fits && d < cutShape.length; d++) {
            fits = shape.get(d + 1) == cutShape[d];
        }
        if (!fits) {
            throw TensorChunks.invalid("client " + client + " announced smashed data of shape " + shape + ", expected [1 to "
                    + maxRows + " rows, " + Arrays.toString(cutShape).replaceAll("[\\[\\]]", "") + "]");
        }
    }
}
