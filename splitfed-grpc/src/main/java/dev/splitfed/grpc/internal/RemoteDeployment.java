package dev.splitfed.grpc.internal;

import dev.splitfed.grpc.HostPort;
import dev.splitfed.grpc.Pki;
import dev.splitfed.grpc.TlsMaterial;
import dev.splitfed.compress.Codec;
import dev.splitfed.internal.privacy.NoiseSource;
import dev.splitfed.internal.role.MainServerNode;
import dev.splitfed.internal.role.ProgressListener;
import dev.splitfed.internal.scheme.ClientPool;
import dev.splitfed.internal.scheme.Deployment;
import dev.splitfed.internal.scheme.Roles;
import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.SimulationPlan;
import dev.splitfed.internal.transport.TrafficMeter;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import java.time.Duration;
import dev.splitfed.internal.role.SplitMainServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Clients in other processes (phones, hospitals): the fed server, the main server and the round
 * coordinator listen on one port, and remote clients join, train and report over gRPC. Payload
 * bytes are counted where the servers receive and answer them.
 */
public final class RemoteDeployment implements Deployment, AutoCloseable {

    /** How long the last answers in flight (the run is over) may take to reach their clients. */
    private static final Duration GOODBYE_GRACE = Duration.ofSeconds(5);

    private final TrafficMeter meter = new TrafficMeter();
    private final AuditLog audit = new AuditLog();
    private final int port;
    private final TlsMaterial tls;
    private final int minClients;
    private final Duration roundTimeout;
    private final Map<String, String> config;
    private final String mainAddress;
    private final ManagedChannel mainChannel;
    private final Codec codec;
    private RoleServer server;
    private Coordinator coordinator;
    private ClientFiles files = ClientFiles.NONE;
    private long maxClientSamples = Admission.DEFAULT_MAX_CLIENT_SAMPLES;
    private IntConsumer onListening = bound -> {};

    /**
     * Creates the deployment; it listens once the run connects it.
     *
     * @param port the port to listen on, 0 for any free one
     * @param tls the server's TLS material, or null for plaintext
     * @param minClients how many clients must be connected before a round starts
     * @param roundTimeout how long a round waits for its participants
     * @param config the run's settings, sent to every client that joins
     */
    public RemoteDeployment(int port, TlsMaterial tls, int minClients, Duration roundTimeout, Map<String, String> config) {
        this(port, tls, minClients, roundTimeout, config, null, null);
    }

    /**
     * Creates the deployment of a fed server whose main server runs in another process.
     *
     * @param port the port to listen on, 0 for any free one
     * @param tls the server's TLS material, or null for plaintext
     * @param minClients how many clients must be connected before a round starts
     * @param roundTimeout how long a round waits for its participants
     * @param config the run's settings, sent to every client that joins
     * @param mainAddress HOST:PORT of the main server, which clients are told to use
     * @param mainTls the fed server's material for controlling the main server (its certificate
     *     is {@value Pki#FED_SERVER}), or null for plaintext
     */
    public RemoteDeployment(int port, TlsMaterial tls, int minClients, Duration roundTimeout, Map<String, String> config,
            String mainAddress, TlsMaterial mainTls) {
        this.port = port;
        this.tls = tls;
        this.minClients = minClients;
        this.roundTimeout = roundTimeout;
        this.config = new LinkedHashMap<>(config);
        this.codec = Codec.parse(config.getOrDefault("compress", Codec.NONE.spec()));
        this.mainAddress = mainAddress;
        if (mainAddress != null) {
            HostPort at = HostPort.parse(mainAddress, "{main-server}");
            this.mainChannel = RoleServer.channel(at.host(), at.port(), mainTls);
            this.config.put(MAIN_SERVER_KEY, mainAddress);
        } else {
            this.mainChannel = null;
        }
    }

    /**
     * Sets what every client receives besides the settings, and announces it in the settings.
     *
     * @param files the data schema and a TorchScript model's client-side stages
     */
    public void setFiles(ClientFiles files) {
        this.files = files;
        config.putAll(files.announcements());
    }

    /** The key of the run settings that tells clients where a separate main server listens. */
    public static final String MAIN_SERVER_KEY = "main-server";

    /** The key of the run settings under which the server sends the digest of a run's vocabulary. */
    public static final String VOCABULARY_KEY = "vocabulary-sha256";

    @Override
    public Function<float[], MainServerNode> remoteMainServer() {
        return mainChannel == null ? null : weights -> new RemoteMainServer(mainChannel, weights, roundTimeout, meter, codec);
    }

    /** Noise nobody can predict: every client that joins is told the run seed. */
    @Override
    public NoiseSource noise(long seed) {
        return NoiseSource.secure();
    }

    @Override
    public ClientPool connect(Roles roles, SimulationPlan plan, ProgressListener progress) {
        Scheme scheme = plan.config().scheme();
        int clients = plan.partition().length;
        // The server knows each client's share of a partitioned data set; clients with data of
        // their own (a data schema) declare theirs at join.
        long[] sizes = null;
        if (files.schema() == null) {
            sizes = new long[clients];
            for (int k = 0; k < clients; k++) {
                sizes[k] = plan.partition()[k].length;
            }
        }
        Admission admission = new Admission(clients, sizes, maxClientSamples);
        coordinator = new Coordinator(clients, minClients, roundTimeout,
                scheme == Scheme.SL || scheme == Scheme.SFLV2, config, admission);
        coordinator.setFiles(files);
        boolean hostMain = roles.mainServer() != null && mainChannel == null;
        List<BindableService> services = new ArrayList<>();
        services.add(coordinator);
        services.add(new FedServerGrpcService(meter.count(roles.fedServer(), codec), GrpcTransport.MAX_VALUES, codec,
                admission, roles.submissions(), meter));
        if (hostMain) {
            // Hosted here, the main server is the run's own SplitMainServer, which knows the cut's shape.
            int[] cutShape = ((SplitMainServer) roles.mainServer()).cutShape();
            services.add(new MainServerGrpcService(meter.count(roles.mainServer(), codec), GrpcTransport.MAX_VALUES,
                    codec, admission, cutShape, RoleServer.maxRows(plan.config().batchSize()), meter));
        }
        if (roles.secureAggregation() != null) {
            services.add(new SecAggGrpcService(meter.count(roles.secureAggregation()), GrpcTransport.MAX_VALUES,
                    admission, roles.maskedInputs()));
        }
        server = RoleServer.startDeployment(port, tls, hostMain, audit, services.toArray(BindableService[]::new));
        onListening.accept(server.port());
        return coordinator;
    }

    /** Returns the port the servers listen on, once connected. */

    /**
     * Sets the most training samples a client with data of its own may declare at join, which bounds
     * its weight in FedAvg.
     *
     * @param maxClientSamples at least 1
     */
    public void setMaxClientSamples(long maxClientSamples) {
        if (maxClientSamples < 1) {
            throw new IllegalArgumentException("max client samples must be >= 1, got " + maxClientSamples);
        }
        this.maxClientSamples = maxClientSamples;
    }

    /**
     * Sets who is told the port once the server accepts connections.
     *
     * @param onListening told the bound port
     */
    public void setOnListening(IntConsumer onListening) {
        this.onListening = onListening;
    }

    public int port() {
        return server.port();
    }

    @Override
    public TrafficMeter meter() {
        return meter;
    }

    /** Tells the clients the run is over, waits (up to a few seconds) until they have heard it, and stops serving. */
    @Override
    public void close() {
        if (coordinator != null) {
            coordinator.close();
            try {
                coordinator.awaitGoodbyes(Coordinator.POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (server != null) {
            // The coordinator counts a client as told once its answer is decided, not yet sent.
            server.close(GOODBYE_GRACE);
        }
        if (coordinator != null) {
            coordinator.shutdown();
        }
        if (mainChannel != null) {
            mainChannel.shutdownNow();
        }
    }
}
