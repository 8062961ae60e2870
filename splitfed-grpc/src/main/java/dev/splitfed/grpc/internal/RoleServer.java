package dev.splitfed.grpc.internal;

import dev.splitfed.grpc.RunningServer;
import dev.splitfed.grpc.TlsMaterial;
import dev.splitfed.compress.Codec;
import dev.splitfed.grpc.proto.MainServerServiceGrpc;
import dev.splitfed.internal.role.FedServer;
import dev.splitfed.internal.role.MainServer;
import dev.splitfed.internal.role.SplitMainServer;
import dev.splitfed.internal.transport.TrafficMeter;
import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC server hosting a fed server, a main server, or both, behind the peer-identity check;
 * and the channels clients use to reach one.
 */
public final class RoleServer implements RunningServer {

    private final Server server;
    private final ExecutorService engine;

    private RoleServer(Server server, ExecutorService engine) {
        this.server = server;
        this.engine = engine;
    }

    /**
     * Starts serving.
     *
     * @param port the port, 0 for any free one
     * @param tls the server's TLS material, or null for plaintext
     * @param codec how smashed data, cut-layer gradients and submitted weights are encoded
     * @param fedServer the fed server to host, or null
     * @param mainServer the main server to host, or null
     * @param more further services to host (the coordinator)
     * @return the running server
     */
    public static RoleServer start(
            int port, TlsMaterial tls, Codec codec, FedServer fedServer, MainServer mainServer, BindableService... more) {
        // One engine thread runs every main-server call: PyTorch then keeps one OpenMP team, and
        // the main server takes its batches one at a time in any case.
        ExecutorService engine = mainServer == null ? null : Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "splitfed-main-server");
            thread.setDaemon(true);
            return thread;
        });
        return start(port, tls, codec, fedServer, mainServer, engine, engine, null, more);
    }

    /**
     * Starts serving, with the main server's calls run by {@code mainExecutor}.
     *
     * @param owned an executor the server shuts down when it closes, or null
     * @param loop the event loop that does the server's network I/O, or null for gRPC's own
     */
    static RoleServer start(int port, TlsMaterial tls, Codec codec, FedServer fedServer, MainServer mainServer,
            Executor mainExecutor, ExecutorService owned, EventLoopGroup loop, BindableService... more) {
        ServerBuilder<?> builder = loop == null
                ? Grpc.newServerBuilderForPort(port, TlsMaterial.server(tls))
                : NettyServerBuilder.forPort(port, TlsMaterial.server(tls))
                        .bossEventLoopGroup(loop).workerEventLoopGroup(loop).channelType(NioServerSocketChannel.class);
        if (mainExecutor != null) {
            // callExecutor is marked experimental in gRPC; it is the one way to give one service's
            // calls their own executor.
            String mainService = MainServerServiceGrpc.SERVICE_NAME;
            builder.callExecutor(new ServerCallExecutorSupplier() {
                @Override
                public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata metadata) {
                    return mainService.equals(call.getMethodDescriptor().getServiceName()) ? mainExecutor : null;
                }
            });
        }
        PeerIdentity identity = new PeerIdentity();
        if (fedServer != null) {
            builder.addService(ServerInterceptors.intercept(
                    new FedServerGrpcService(fedServer, GrpcTransport.MAX_VALUES, codec), identity));
        }
        if (mainServer != null) {
            builder.addService(ServerInterceptors.intercept(
                    new MainServerGrpcService(mainServer, GrpcTransport.MAX_VALUES, codec), identity));
        }
        for (BindableService service : more) {
            builder.addService(ServerInterceptors.intercept(service, identity));
        }
        try {
            return new RoleServer(builder.build().start(), owned);
        } catch (IOException e) {
            if (owned != null) {
                owned.shutdownNow();
            }
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
    }

    /**
     * Starts a main server of its own process ({@code --role main}): clients send it their batches,
     * and the fed server controls its rounds.
     *
     * @param port the port, 0 for any free one
     * @param tls the server's TLS material, or null for plaintext
     * @param codec how smashed data and cut-layer gradients are encoded
     * @param mainServer the main server
     * @return the running server
     */
    public static RoleServer startMain(int port, TlsMaterial tls, Codec codec, SplitMainServer mainServer) {
        TrafficMeter meter = new TrafficMeter();
        return start(port, tls, codec, null, meter.count(mainServer, codec), new MainControlGrpcService(mainServer, meter));
    }

    /** Blocks until the server shuts down. */
    @Override
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Returns the port the server listens on. */
    @Override
    public int port() {
        return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    }

    /**
     * Opens a channel to a role server.
     *
     * @param host the server's host name, as its certificate names it
     * @param port the server's port
     * @param tls the client's TLS material, or null for plaintext
     * @return the channel; shut it down when done
     */
    public static ManagedChannel channel(String host, int port, TlsMaterial tls) {
        return Grpc.newChannelBuilderForAddress(host, port, TlsMaterial.client(tls)).build();
    }

    /**
     * Opens a channel whose I/O runs on {@code loop} and whose calls' callbacks run on
     * {@code executor}, or on gRPC's own executor if it is null.
     */
    static ManagedChannel channel(String host, int port, TlsMaterial tls, Executor executor, EventLoopGroup loop) {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(host, port, TlsMaterial.client(tls))
                .eventLoopGroup(loop).channelType(NioSocketChannel.class);
        if (executor != null) {
            builder.executor(executor);
        }
        return builder.build();
    }

    /**
     * Stops taking calls, lets those in flight be answered (up to {@code grace}), then closes: so
     * that an answer already decided, such as the coordinator's "the run is over", reaches its client.
     *
     * @param grace the longest wait for the calls in flight
     */
    public void close(Duration grace) {
        server.shutdown();
        try {
            server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (engine != null) {
            engine.shutdownNow();
        }
    }
}
