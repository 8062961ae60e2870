package dev.splitfed.grpc;

import dev.splitfed.role.FedServer;
import dev.splitfed.role.MainServer;
import dev.splitfed.transport.TrafficMeter;
import dev.splitfed.transport.Transport;
import io.grpc.BindableService;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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
    private final Pki pki;
    private final Pki.Identity serverIdentity;
    private final Pki.Identity clientIdentity;
    private final List<Server> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();

    private GrpcTransport(boolean tls, Duration timeout) {
        this.timeout = timeout;
        this.pki = tls ? Pki.create() : null;
        this.serverIdentity = tls ? pki.server(List.of("localhost", "127.0.0.1")) : null;
        this.clientIdentity = tls ? pki.simulator() : null;
    }

    /**
     * Creates a loopback transport.
     *
     * @param tls whether to use mutual TLS (with a certificate authority made for this transport)
     * @param timeout how long one call may take
     * @return the transport
     */
    public static GrpcTransport loopback(boolean tls, Duration timeout) {
        return new GrpcTransport(tls, timeout);
    }

    @Override
    public FedServer connect(FedServer server) {
        return meter.count(new GrpcFedServer(serve(new FedServerGrpcService(server, MAX_VALUES)), MAX_VALUES, timeout));
    }

    @Override
    public MainServer connect(MainServer server) {
        return meter.count(new GrpcMainServer(serve(new MainServerGrpcService(server, MAX_VALUES)), timeout));
    }

    @Override
    public TrafficMeter meter() {
        return meter;
    }

    private ManagedChannel serve(BindableService service) {
        try {
            Server server = Grpc.newServerBuilderForPort(0, serverCredentials())
                    .addService(ServerInterceptors.intercept(service, new PeerIdentity()))
                    .build()
                    .start();
            servers.add(server);
            int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
            ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", port, channelCredentials()).build();
            channels.add(channel);
            return channel;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a loopback gRPC server", e);
        }
    }

    private ServerCredentials serverCredentials() throws IOException {
        if (pki == null) {
            return InsecureServerCredentials.create();
        }
        return TlsServerCredentials.newBuilder()
                .keyManager(stream(serverIdentity.certificatePem()), stream(serverIdentity.privateKeyPem()))
                .trustManager(stream(pki.caPem()))
                .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                .build();
    }

    private ChannelCredentials channelCredentials() throws IOException {
        if (pki == null) {
            return InsecureChannelCredentials.create();
        }
        return TlsChannelCredentials.newBuilder()
                .keyManager(stream(clientIdentity.certificatePem()), stream(clientIdentity.privateKeyPem()))
                .trustManager(stream(pki.caPem()))
                .build();
    }

    private static InputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        servers.forEach(Server::shutdownNow);
        try {
            for (ManagedChannel c : channels) {
                c.awaitTermination(5, TimeUnit.SECONDS);
            }
            for (Server s : servers) {
                s.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
