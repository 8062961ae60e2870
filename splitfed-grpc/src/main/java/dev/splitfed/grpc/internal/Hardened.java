package dev.splitfed.grpc.internal;

import com.google.protobuf.Message;
import io.grpc.BindableService;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.InputStream;

/**
 * A service whose requests that are not valid protobuf are refused with INVALID_ARGUMENT and one
 * log line (through the caller's {@link AuditLog}), instead of gRPC's UNKNOWN "Application error
 * processing RPC" and a stack trace for every such call.
 *
 * <p>gRPC parses a request with the method's marshaller and closes the call as UNKNOWN if parsing
 * throws. Here the marshaller returns a placeholder message instead (an instance of the request
 * type that no real request is: identity tells it apart), and the call's listener closes the call
 * with INVALID_ARGUMENT when it receives it, forwarding nothing more but a cancellation.
 */
final class Hardened {

    private Hardened() {}

    /**
     * Returns the service's definition with every method's request parsing hardened.
     *
     * @param service the service
     * @return the definition to add to a server
     */
    static ServerServiceDefinition of(BindableService service) {
        ServerServiceDefinition definition = service.bindService();
        ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(definition.getServiceDescriptor().getName());
        for (ServerMethodDefinition<?, ?> method : definition.getMethods()) {
            out.addMethod(harden(method));
        }
        return out.build();
    }

    private static <Q, R> ServerMethodDefinition<Q, R> harden(ServerMethodDefinition<Q, R> method) {
        MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
        MethodDescriptor.Marshaller<Q> inner = descriptor.getRequestMarshaller();
        if (!(inner instanceof MethodDescriptor.PrototypeMarshaller<Q> prototyped)
                || !(prototyped.getMessagePrototype() instanceof Message prototype)) {
            return method;
        }
        @SuppressWarnings("unchecked")
        Q invalid = (Q) prototype.newBuilderForType().build();
        String type = prototype.getDescriptorForType().getName();
        MethodDescriptor.Marshaller<Q> safe = new MethodDescriptor.PrototypeMarshaller<>() {
            @Override
            public InputStream stream(Q value) {
                return inner.stream(value);
            }

            @Override
            public Q parse(InputStream stream) {
                try {
                    return inner.parse(stream);
                } catch (RuntimeException e) {
                    return invalid;
                }
            }

            @Override
            public Q getMessagePrototype() {
                return prototyped.getMessagePrototype();
            }

            @Override
            public Class<Q> getMessageClass() {
                return prototyped.getMessageClass();
            }
        };
        ServerCallHandler<Q, R> handler = method.getServerCallHandler();
        ServerCallHandler<Q, R> guarded = (call, headers) -> new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
                handler.startCall(call, headers)) {
            private boolean closed;

            @Override
            public void onMessage(Q message) {
                if (closed) {
                    return;
                }
                if (message == invalid) {
                    closed = true;
                    call.close(Status.INVALID_ARGUMENT.withDescription("the request is not a valid " + type + " message"),
                            new Metadata());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!closed) {
                    super.onHalfClose();
                }
            }

            @Override
            public void onReady() {
                if (!closed) {
                    super.onReady();
                }
            }
        };
        return ServerMethodDefinition.create(descriptor.toBuilder().setRequestMarshaller(safe).build(), guarded);
    }
}
