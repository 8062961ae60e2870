package dev.splitfed.grpc;

import dev.splitfed.compress.Codec;
import dev.splitfed.role.FedServer;
import dev.splitfed.role.MainServer;
import dev.splitfed.transport.TrafficMeter;
import dev.splitfed.transport.Transport;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC transport on loopback, for simulations over the real wire: each server role gets its
 * own gRPC server on a free port of 127.0.0.1, and clients reach it through a channel, with mutual
 * TLS from a certificate authority made for the run (or plaintext, if asked). The same services
 * and stubs serve real deployments.
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
        return meter.count(new GrpcFedServer(serve(server, null), MAX_VALUES, timeout, codec), codec);
    }

    @Override
    public MainServer connect(MainServer server) {
        GrpcMainServer stub = new GrpcMainServer(serve(null, server), timeout, codec);
        stubs.add(stub);
        return meter.count(stub, codec);
    }

    @Override
    public TrafficMeter meter() {
        return meter;
    }

    private ManagedChannel serve(FedServer fedServer, MainServer mainServer) {
        RoleServer server = RoleServer.start(0, serverTls, codec, fedServer, mainServer);
        servers.add(server);
        ManagedChannel channel = RoleServer.channel("localhost", server.port(), clientTls);
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
    }
}
