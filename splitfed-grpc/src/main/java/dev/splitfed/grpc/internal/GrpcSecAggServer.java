package dev.splitfed.grpc.internal;

import com.google.protobuf.ByteString;
import dev.splitfed.grpc.proto.AdvertiseKeysRequest;
import dev.splitfed.grpc.proto.MaskedChunk;
import dev.splitfed.grpc.proto.MaskedHeader;
import dev.splitfed.grpc.proto.RosterMember;
import dev.splitfed.grpc.proto.RosterReply;
import dev.splitfed.grpc.proto.SealedShare;
import dev.splitfed.grpc.proto.SecAggReply;
import dev.splitfed.grpc.proto.SecAggRequest;
import dev.splitfed.grpc.proto.SecureAggregationServiceGrpc;
import dev.splitfed.grpc.proto.ShareKeysRequest;
import dev.splitfed.grpc.proto.UnmaskRequest;
import dev.splitfed.grpc.proto.UnmaskShare;
import dev.splitfed.internal.secagg.EncryptedShare;
import dev.splitfed.internal.secagg.PublicKeys;
import dev.splitfed.internal.secagg.RevealedShare;
import dev.splitfed.internal.secagg.Roster;
import dev.splitfed.internal.secagg.SecAggServer;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The fed server's half of secure aggregation as a client calls it: {@link SecAggServer} over gRPC. */
public final class GrpcSecAggServer implements SecAggServer {

    private final Channel channel;
    private final Duration timeout;

    /**
     * Creates the stub.
     *
     * @param channel the connection to the fed server
     * @param timeout how long one call may take
     */
    public GrpcSecAggServer(Channel channel, Duration timeout) {
        this.channel = channel;
        this.timeout = timeout;
    }

    private SecureAggregationServiceGrpc.SecureAggregationServiceBlockingStub stub() {
        return SecureAggregationServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            throw Statuses.fromStatus(what, e);
        }
    }

    private static SecAggRequest request(int clientId, int round) {
        return SecAggRequest.newBuilder().setClientId(clientId).setRound(round).build();
    }

    @Override
    public void advertiseKeys(int clientId, int round, PublicKeys keys, int samples) {
        call("client " + clientId + "'s keys for round " + round, () -> stub().advertiseKeys(
                AdvertiseKeysRequest.newBuilder().setClientId(clientId).setRound(round).setSamples(samples)
                        .setCipherKey(ByteString.copyFrom(keys.cipherKey())).setMaskKey(ByteString.copyFrom(keys.maskKey()))
                        .build()));
    }

    @Override
    public Roster roster(int clientId, int round) {
        RosterReply reply = call("client " + clientId + "'s roster of round " + round,
                () -> stub().roster(request(clientId, round)));
        Map<Integer, PublicKeys> members = new TreeMap<>();
        for (RosterMember m : reply.getMembersList()) {
            members.put(m.getClientId(), new PublicKeys(m.getCipherKey().toByteArray(), m.getMaskKey().toByteArray()));
        }
        return new Roster(reply.getThreshold(), reply.getTotalSamples(), members);
    }

    @Override
    public void shareKeys(int clientId, int round, List<EncryptedShare> shares) {
        ShareKeysRequest.Builder request = ShareKeysRequest.newBuilder().setClientId(clientId).setRound(round);
        for (EncryptedShare s : shares) {
            request.addShares(SealedShare.newBuilder().setPeer(s.peer()).setCiphertext(ByteString.copyFrom(s.ciphertext())));
        }
        call("client " + clientId + "'s shares for round " + round, () -> stub().shareKeys(request.build()));
    }

    @Override
    public List<EncryptedShare> inbox(int clientId, int round) {
        List<EncryptedShare> out = new ArrayList<>();
        for (SealedShare s : call("client " + clientId + "'s inbox of round " + round,
                () -> stub().inbox(request(clientId, round))).getSharesList()) {
            out.add(new EncryptedShare(s.getPeer(), s.getCiphertext().toByteArray()));
        }
        return out;
    }

    @Override
    public void submitMasked(int clientId, int round, int[] masked) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * masked.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(masked);
        List<MaskedChunk> chunks = new ArrayList<>();
        for (ByteString values : TensorChunks.split(bytes.array())) {
            MaskedChunk.Builder chunk = MaskedChunk.newBuilder().setValues(values);
            if (chunks.isEmpty()) {
                chunk.setHeader(MaskedHeader.newBuilder().setClientId(clientId).setRound(round).setValues(masked.length));
            }
            chunks.add(chunk.build());
        }
        Calls.stream((StreamObserver<SecAggReply> reply) -> SecureAggregationServiceGrpc.newStub(channel)
                        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .submitMasked(reply),
                chunks, "client " + clientId + "'s masked input for round " + round);
    }

    @Override
    public List<Integer> survivors(int clientId, int round) {
        return List.copyOf(call("client " + clientId + "'s survivors of round " + round,
                () -> stub().survivors(request(clientId, round))).getClientIdsList());
    }

    @Override
    public void unmask(int clientId, int round, List<RevealedShare> shares) {
        UnmaskRequest.Builder request = UnmaskRequest.newBuilder().setClientId(clientId).setRound(round);
        for (RevealedShare s : shares) {
            request.addShares(UnmaskShare.newBuilder().setOwner(s.owner()).setValue(ByteString.copyFrom(s.value())));
        }
        call("client " + clientId + "'s unmasking shares for round " + round, () -> stub().unmask(request.build()));
    }
}
