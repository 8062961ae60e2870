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
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;
import io.grpc.ServerInterceptor;

/**
 * A gRPC server hosting a fed server, a main server, or both, behind the peer-identity check;
 * and the channels clients use to reach one.
 */
public final class RoleServer implements RunningServer {

    private final Server server;
    private final ExecutorService engine;
    private final ExecutorService calls;

    private RoleServer(Server server, ExecutorService engine, ExecutorService calls) {
        this.server = server;
        this.engine = engine;
        this.calls = calls;
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
    /**
     * Starts a deployment's server with services its caller built (they check their clients
     * against the deployment's admission), with one engine thread for a main server among them.
     *
     * @param port the port, 0 for any free one
     * @param tls the server's material
     * @param hostsMain whether one of the services is the main server's
     * @param audit where refused calls are logged
     * @param services the services
     * @return the running server
     */
    public static RoleServer startDeployment(int port, TlsMaterial tls, boolean hostsMain, AuditLog audit,
            BindableService... services) {
        ExecutorService engine = hostsMain ? Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "splitfed-main-server");
            thread.setDaemon(true);
            return thread;
        }) : null;
        return start(port, tls, null, null, null, engine, engine, null,
                new Gatekeeper(Gatekeeper.DEFAULT_CALLS_PER_PEER, audit), services);
    }

    static RoleServer start(int port, TlsMaterial tls, Codec codec, FedServer fedServer, MainServer mainServer,
            Executor mainExecutor, ExecutorService owned, EventLoopGroup loop, BindableService... more) {
        return start(port, tls, codec, fedServer, mainServer, mainExecutor, owned, loop, null, more);
    }

    /**
     * Calls run on a fixed pool of this many threads: no handler waits (a long poll holds no
     * thread; see {@link Coordinator}), so thousands of connected clients need no more.
     */
    static final int CALL_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private static RoleServer start(int port, TlsMaterial tls, Codec codec, FedServer fedServer, MainServer mainServer,
            Executor mainExecutor, ExecutorService owned, EventLoopGroup loop, Gatekeeper gatekeeper,
            BindableService... more) {
        ExecutorService calls = Executors.newFixedThreadPool(CALL_THREADS, new ThreadFactory() {
            private final AtomicInteger made = new AtomicInteger();

            @Override
            public Thread newThread(Runnable runnable) {
                Thread thread = new Thread(runnable, "splitfed-call-" + made.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            }
        });
        ServerBuilder<?> builder = (loop == null
                ? Grpc.newServerBuilderForPort(port, TlsMaterial.server(tls))
                : NettyServerBuilder.forPort(port, TlsMaterial.server(tls))
                        .bossEventLoopGroup(loop).workerEventLoopGroup(loop).channelType(NioServerSocketChannel.class))
                .executor(calls);
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
        List<BindableService> services = new ArrayList<>();
        if (fedServer != null) {
            services.add(new FedServerGrpcService(fedServer, GrpcTransport.MAX_VALUES, codec));
        }
        if (mainServer != null) {
            services.add(new MainServerGrpcService(mainServer, GrpcTransport.MAX_VALUES, codec));
        }
        services.addAll(List.of(more));
        // The last interceptor runs first: the peer's identity, then the gatekeeper's cap and audit.
        ServerInterceptor[] interceptors = gatekeeper == null
                ? new ServerInterceptor[] {new PeerIdentity()} : new ServerInterceptor[] {gatekeeper, new PeerIdentity()};
        for (BindableService service : services) {
            builder.addService(ServerInterceptors.intercept(Hardened.of(service), interceptors));
        }
        try {
            return new RoleServer(builder.build().start(), owned, calls);
        } catch (IOException e) {
            if (owned != null) {
                owned.shutdownNow();
            }
            calls.shutdownNow();
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
    public static RoleServer startMain(int port, TlsMaterial tls, Codec codec, SplitMainServer mainServer, int batchSize) {
        TrafficMeter meter = new TrafficMeter();
        ExecutorService engine = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "splitfed-main-server");
            thread.setDaemon(true);
            return thread;
        });
        // It knows no joins (the fed server's coordinator does), but it knows the cut: smashed data
        // are checked against it at their headers, and each certificate's open calls are capped.
        return start(port, tls, null, null, null, engine, engine, null,
                new Gatekeeper(Gatekeeper.DEFAULT_CALLS_PER_PEER, new AuditLog()),
                new MainServerGrpcService(meter.count(mainServer, codec), GrpcTransport.MAX_VALUES, codec, null,
                        mainServer.cutShape(), maxRows(batchSize), meter),
                new MainControlGrpcService(mainServer, meter));
    }

    /**
     * Returns the most rows a batch of smashed data may have: the batch size, with room for
     * DP-SGD's Poisson-sampled batches, whose size only averages the batch size (a Poisson count of
     * mean B exceeds 4B + 16 with probability below 1e-18 for every B >= 1).
     *
     * @param batchSize the run's batch size
     * @return the bound
     */
    public static int maxRows(int batchSize) {
        return (int) Math.min(Integer.MAX_VALUE, 4L * batchSize + 16);
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
        calls.shutdownNow();
    }
}
