package dev.splitfed.grpc.internal;

import dev.splitfed.InvalidInputException;
import com.google.protobuf.ByteString;
import dev.splitfed.compress.Codec;
import dev.splitfed.grpc.proto.AdvertiseKeysRequest;
import dev.splitfed.grpc.proto.InboxReply;
import dev.splitfed.grpc.proto.MaskedChunk;
import dev.splitfed.grpc.proto.MaskedHeader;
import dev.splitfed.grpc.proto.RosterMember;
import dev.splitfed.grpc.proto.RosterReply;
import dev.splitfed.grpc.proto.SealedShare;
import dev.splitfed.grpc.proto.SecAggReply;
import dev.splitfed.grpc.proto.SecAggRequest;
import dev.splitfed.grpc.proto.SecureAggregationServiceGrpc;
import dev.splitfed.grpc.proto.ShareKeysRequest;
import dev.splitfed.grpc.proto.SurvivorsReply;
import dev.splitfed.grpc.proto.UnmaskRequest;
import dev.splitfed.internal.secagg.EncryptedShare;
import dev.splitfed.internal.secagg.PublicKeys;
import dev.splitfed.internal.secagg.RevealedShare;
import dev.splitfed.internal.secagg.Roster;
import dev.splitfed.internal.role.SubmissionGate;
import dev.splitfed.internal.secagg.SecAggServer;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.Supplier;

/**
 * Serves the fed server's half of secure aggregation ({@link SecAggServer}) over gRPC. A caller acts
 * only for its own client id; the server half checks everything else (phase, membership, sizes).
 */
public final class SecAggGrpcService extends SecureAggregationServiceGrpc.SecureAggregationServiceImplBase {

    private final SecAggServer server;
    private final long maxValues;
    private final Admission admission;
    private final SubmissionGate expectations;

    /**
     * Creates the service.
     *
     * @param server the server's half
     * @param maxValues the most values a masked input may announce
     */
    public SecAggGrpcService(SecAggServer server, long maxValues) {
        this(server, maxValues, null, null);
    }

    /**
     * Creates the service for a deployment's clients: only joined clients are served, a sample
     * count must lie within the client's bound, and a masked input's header must announce exactly
     * the values the server expects from the client, before its payload is buffered.
     *
     * @param server the server's half
     * @param maxValues the most values a masked input may announce where there is no admission
     * @param admission the deployment's book of its clients, or null in a simulation
     * @param expectations what secure aggregation expects of a masked input; with the admission
     */
    public SecAggGrpcService(SecAggServer server, long maxValues, Admission admission, SubmissionGate expectations) {
        this.server = server;
        this.maxValues = maxValues;
        this.admission = admission;
        this.expectations = expectations;
    }

    /** Answers with what {@code call} returns, or with the status of its failure. */
    private <T> void answer(StreamObserver<T> reply, int clientId, Supplier<T> call) {
        try {
            PeerIdentity.authorize(clientId);
            if (admission != null) {
                admission.requireJoined(clientId);
            }
            T value = call.get();
            reply.onNext(value);
            reply.onCompleted();
        } catch (RuntimeException e) {
            reply.onError(Statuses.toStatus(e));
        }
    }

    @Override
    public void advertiseKeys(AdvertiseKeysRequest request, StreamObserver<SecAggReply> reply) {
        answer(reply, request.getClientId(), () -> {
            if (admission != null) {
                admission.checkSamples(request.getClientId(), request.getSamples());
            }
            server.advertiseKeys(request.getClientId(), request.getRound(),
                    new PublicKeys(request.getCipherKey().toByteArray(), request.getMaskKey().toByteArray()),
                    request.getSamples());
            return SecAggReply.getDefaultInstance();
        });
    }

    @Override
    public void roster(SecAggRequest request, StreamObserver<RosterReply> reply) {
        answer(reply, request.getClientId(), () -> {
            Roster roster = server.roster(request.getClientId(), request.getRound());
            RosterReply.Builder out = RosterReply.newBuilder()
                    .setThreshold(roster.threshold()).setTotalSamples(roster.totalSamples());
            roster.members().forEach((id, keys) -> out.addMembers(RosterMember.newBuilder().setClientId(id)
                    .setCipherKey(ByteString.copyFrom(keys.cipherKey())).setMaskKey(ByteString.copyFrom(keys.maskKey()))));
            return out.build();
        });
    }

    @Override
    public void shareKeys(ShareKeysRequest request, StreamObserver<SecAggReply> reply) {
        answer(reply, request.getClientId(), () -> {
            server.shareKeys(request.getClientId(), request.getRound(), request.getSharesList().stream()
                    .map(s -> new EncryptedShare(s.getPeer(), s.getCiphertext().toByteArray())).toList());
            return SecAggReply.getDefaultInstance();
        });
    }

    @Override
    public void inbox(SecAggRequest request, StreamObserver<InboxReply> reply) {
        answer(reply, request.getClientId(), () -> {
            InboxReply.Builder out = InboxReply.newBuilder();
            for (EncryptedShare s : server.inbox(request.getClientId(), request.getRound())) {
                out.addShares(SealedShare.newBuilder().setPeer(s.peer()).setCiphertext(ByteString.copyFrom(s.ciphertext())));
            }
            return out.build();
        });
    }

    @Override
    public void survivors(SecAggRequest request, StreamObserver<SurvivorsReply> reply) {
        answer(reply, request.getClientId(), () -> SurvivorsReply.newBuilder()
                .addAllClientIds(server.survivors(request.getClientId(), request.getRound())).build());
    }

    @Override
    public void unmask(UnmaskRequest request, StreamObserver<SecAggReply> reply) {
        answer(reply, request.getClientId(), () -> {
            List<RevealedShare> shares = request.getSharesList().stream()
                    .map(s -> new RevealedShare(s.getOwner(), s.getValue().toByteArray())).toList();
            server.unmask(request.getClientId(), request.getRound(), shares);
            return SecAggReply.getDefaultInstance();
        });
    }

    @Override
    public StreamObserver<MaskedChunk> submitMasked(StreamObserver<SecAggReply> reply) {
        return new ChunkedRequest<>(reply, "masked input", false) {
            private MaskedHeader header;

            @Override
            boolean hasHeader(MaskedChunk chunk) {
                return chunk.hasHeader();
            }

            @Override
            ByteString values(MaskedChunk chunk) {
                return chunk.getValues();
            }

            @Override
            TensorChunks.Assembler start(MaskedChunk first) {
                header = first.getHeader();
                int client = header.getClientId();
                PeerIdentity.authorize(client);
                long most = maxValues;
                if (admission != null) {
                    admission.requireJoined(client);
                    try {
                        most = expectations.expects(client, header.getRound());
                    } catch (InvalidInputException e) {
                        throw TensorChunks.invalid(e.getMessage());
                    }
                    if (header.getValues() != most) {
                        throw TensorChunks.invalid("client " + client + " announced " + header.getValues()
                                + " masked values; the server expects exactly " + most);
                    }
                }
                // 4 bytes a value, as a float32 vector of that length would take.
                return new TensorChunks.Assembler(TensorChunks.header(new int[] {header.getValues()}, Codec.NONE),
                        Codec.NONE, most, "client " + client + "'s masked values");
            }

            @Override
            void finish(TensorChunks.Assembler values) {
                int[] masked = new int[values.values()];
                ByteBuffer.wrap(values.payload()).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(masked);
                server.submitMasked(header.getClientId(), header.getRound(), masked);
                if (admission != null) {
                    admission.handedIn(header.getClientId(), header.getRound());
                }
            }

            @Override
            void end() {
                reply.onNext(SecAggReply.getDefaultInstance());
                reply.onCompleted();
            }
        };
    }
}
