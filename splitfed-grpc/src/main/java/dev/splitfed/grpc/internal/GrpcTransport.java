package dev.splitfed.grpc.internal;

import dev.splitfed.grpc.Pki;
import dev.splitfed.grpc.TlsMaterial;
import dev.splitfed.compress.Codec;
import dev.splitfed.internal.role.FedServer;
import dev.splitfed.internal.role.MainServer;
import dev.splitfed.internal.secagg.SecAggServer;
import dev.splitfed.internal.transport.TrafficMeter;
import dev.splitfed.internal.transport.Transport;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC transport on loopback, for simulations over the real wire: each server role gets its
 * own gRPC server on a free port of 127.0.0.1, and clients reach it through a channel, with mutual
 * TLS from a certificate authority made for the run (or plaintext, if asked). The same services
 * and stubs serve real deployments. The main server's calls run on the client thread that waits
 * for them (see {@link WaitingThreadExecutor}).
 */
public final class GrpcTransport implements Transport {

    /** The most float32 values one message may announce: 1 GiB. */
    public static final long MAX_VALUES = 1L << 28;

    private final TrafficMeter meter = new TrafficMeter();
    private final Duration timeout;
    private final Codec codec;
    private final TlsMaterial serverTls;
    private final TlsMaterial clientTls;
    private final List<RoleServer> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<GrpcMainServer> stubs = new ArrayList<>();
    private final WaitingThreadExecutor mainServerWork = new WaitingThreadExecutor();
    // One network thread for both ends of every connection: on a small machine every
    // further thread competes with PyTorch's for the cores (measured: 10% slower rounds with
    // gRPC's default of two per core).
    private final EventLoopGroup network = new NioEventLoopGroup(1, runnable -> {
        Thread thread = new Thread(runnable, "splitfed-loopback-io");
        thread.setDaemon(true);
        return thread;
    });

    private GrpcTransport(boolean tls, Duration timeout, Codec codec) {
        this.timeout = timeout;
        this.codec = codec;
        Pki pki = tls ? Pki.create() : null;
        this.serverTls = tls ? new TlsMaterial(pki.caPem(), pki.server(List.of("localhost", "127.0.0.1"))) : null;
        this.clientTls = tls ? new TlsMaterial(pki.caPem(), pki.simulator()) : null;
    }

    /**
     * Creates a loopback transport.
     *
     * @param tls whether to use mutual TLS (with a certificate authority made for this transport)
     * @param timeout how long one call may take
     * @param codec how smashed data, cut-layer gradients and submitted weights are encoded
     * @return the transport
     */
    public static GrpcTransport loopback(boolean tls, Duration timeout, Codec codec) {
        return new GrpcTransport(tls, timeout, codec);
    }

    @Override
    public FedServer connect(FedServer server) {
        // Its calls wait with a plain get, so their callbacks keep gRPC's own executor.
        return meter.count(new GrpcFedServer(serve(server, null, null), MAX_VALUES, timeout, codec), codec);
    }

    @Override
    public MainServer connect(MainServer server) {
        GrpcMainServer stub = new GrpcMainServer(serve(null, server, mainServerWork), timeout, codec, mainServerWork);
        stubs.add(stub);
        return meter.count(stub, codec);
    }

    @Override
    public SecAggServer connect(SecAggServer server) {
        RoleServer role = RoleServer.start(0, serverTls, codec, null, null, null, null, network,
                new SecAggGrpcService(server, MAX_VALUES));
        servers.add(role);
        ManagedChannel channel = RoleServer.channel("localhost", role.port(), clientTls, null, network);
        channels.add(channel);
        return meter.count(new GrpcSecAggServer(channel, timeout));
    }

    @Override
    public TrafficMeter meter() {
        return meter;
    }

    /** Serves a role on a free port and returns the channel to it, with callbacks on {@code callbacks} (or gRPC's). */
    private ManagedChannel serve(FedServer fedServer, MainServer mainServer, WaitingThreadExecutor callbacks) {
        RoleServer server = RoleServer.start(0, serverTls, codec, fedServer, mainServer, mainServerWork, null, network);
        servers.add(server);
        ManagedChannel channel = RoleServer.channel("localhost", server.port(), clientTls, callbacks, network);
        channels.add(channel);
        return channel;
    }

    @Override
    public void close() {
        stubs.forEach(GrpcMainServer::close);
        channels.forEach(ManagedChannel::shutdownNow);
        try {
            for (ManagedChannel c : channels) {
                c.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        servers.forEach(RoleServer::close);
        network.shutdownGracefully(0, 5, TimeUnit.SECONDS);
    }
}
