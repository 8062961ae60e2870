package dev.splitfed.grpc.internal;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.SocketAddress;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A deployment server's door: it caps the calls one peer may have open at once, and writes every
 * refused call to the audit log.
 *
 * <p>A peer is its certificate's common name (over mutual TLS), or its address in plaintext. A
 * call beyond the cap is refused with RESOURCE_EXHAUSTED before it reaches a service, so one
 * certificate cannot hold thousands of calls open. A call that a service refuses (a wrong identity,
 * a call before Join, a malformed or oversized message) is logged by {@link AuditLog}, at most once
 * per peer, method and status a minute.
 *
 * <p>It must run inside {@link PeerIdentity}, which puts the certificate's name in the context.
 */
final class Gatekeeper implements ServerInterceptor {

    /** Calls one peer may have open at once: a client needs at most five (poll, heartbeat, up, down, batch). */
    static final int DEFAULT_CALLS_PER_PEER = 16;

    private static final Set<Status.Code> REFUSALS = EnumSet.of(Status.Code.INVALID_ARGUMENT,
            Status.Code.PERMISSION_DENIED, Status.Code.UNAUTHENTICATED, Status.Code.FAILED_PRECONDITION,
            Status.Code.RESOURCE_EXHAUSTED, Status.Code.OUT_OF_RANGE);

    private final int callsPerPeer;
    private final AuditLog audit;
    // Calls open by peer; an entry goes when its peer's last call ends. Updated only with compute,
    // which is atomic per key, so no call slips past the cap between a count and its removal.
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    Gatekeeper(int callsPerPeer, AuditLog audit) {
        if (callsPerPeer < 1) {
            throw new IllegalArgumentException("calls per peer must be >= 1, got " + callsPerPeer);
        }
        this.callsPerPeer = callsPerPeer;
        this.audit = audit;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String peer = peer(call);
        String method = call.getMethodDescriptor().getBareMethodName();
        boolean[] admitted = {false};
        open.compute(peer, (k, n) -> {
            int calls = n == null ? 0 : n;
            if (calls >= callsPerPeer) {
                return n;
            }
            admitted[0] = true;
            return calls + 1;
        });
        if (!admitted[0]) {
            Status status = Status.RESOURCE_EXHAUSTED.withDescription(
                    peer + " has " + callsPerPeer + " calls open, the most one peer may have");
            audit.refused(peer, method, status);
            call.close(status, new Metadata());
            return new ServerCall.Listener<>() {};
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                open.computeIfPresent(peer, (k, n) -> n <= 1 ? null : n - 1);
            }
        };
        ServerCall<Q, R> watched = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                if (REFUSALS.contains(status.getCode())) {
                    audit.refused(peer, method, status);
                }
                super.close(status, trailers);
            }
        };
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(watched, headers);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onComplete() {
                release.run();
                super.onComplete();
            }

            @Override
            public void onCancel() {
                release.run();
                super.onCancel();
            }
        };
    }

    /** Returns the certificate's common name, or the remote address of a plaintext peer. */
    private static String peer(ServerCall<?, ?> call) {
        String name = PeerIdentity.COMMON_NAME.get();
        if (name != null) {
            return name;
        }
        SocketAddress address = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        return address == null ? "an unknown peer" : String.valueOf(address);
    }
}
