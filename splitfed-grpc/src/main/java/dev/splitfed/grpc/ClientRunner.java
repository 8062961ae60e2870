package dev.splitfed.grpc;

import dev.splitfed.data.DataSchema;
import dev.splitfed.grpc.internal.ClientFiles;
import dev.splitfed.grpc.internal.ClientModel;
import dev.splitfed.grpc.internal.GrpcMainServer;
import dev.splitfed.grpc.proto.JoinReply;
import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.grpc.internal.RemoteClient;
import dev.splitfed.grpc.internal.RemoteDeployment;
import dev.splitfed.grpc.internal.RoleServer;
import dev.splitfed.InvalidInputException;
import dev.splitfed.byzantine.Attack;
import dev.splitfed.data.Dataset;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.model.Architecture;
import dev.splitfed.internal.model.NoisyCut;
import dev.splitfed.internal.privacy.NoiseSource;
import dev.splitfed.internal.role.MainServer;
import dev.splitfed.internal.role.PersonalHead;
import dev.splitfed.internal.scheme.ClientAssembly;
import dev.splitfed.internal.scheme.ClientData;
import dev.splitfed.scheme.Simulation;
import dev.splitfed.scheme.SimulationConfig;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.rng.sampling.PermutationSampler;

/**
 * A deployed client, for any JVM application to embed: it joins a run served by a splitfed server,
 * receives the run's settings, loads only its own data (its part of the run's data set and
 * partition, or all of a data set of its own), and trains whenever the server gives it a turn,
 * until the run is over. It keeps trying while the server is unreachable (a restart) and waits for
 * the next round if it misses one.
 *
 * <pre>{@code
 * int rounds = ClientRunner.builder()
 *         .setServer("fed.example.org", 7443)
 *         .setClientId(3)
 *         .setTls(TlsMaterial.read(Path.of("certs"), "client-3"))
 *         .build()
 *         .run();
 * }</pre>
 */
public final class ClientRunner {

    /** How long one data call may take. */
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(10);

    private final String host;
    private final int port;
    private final int clientId;
    private final Integer clientIndex;
    private final TlsMaterial tls;
    private final String dataset;
    private final String partition;
    private final Integer clients;
    private final Path dataDir;
    private final Path vocabulary;
    private final Path modelDir;
    private final String schemaDigest;
    private final Integer threads;
    private final Duration giveUpAfter;
    private final PrintWriter log;

    private ClientRunner(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.clientId = b.clientId;
        this.clientIndex = b.clientIndex;
        this.tls = b.tls;
        this.dataset = b.dataset;
        this.partition = b.partition;
        this.clients = b.clients;
        this.dataDir = b.dataDir;
        this.vocabulary = b.vocabulary;
        this.modelDir = b.modelDir;
        this.schemaDigest = b.schemaDigest;
        this.threads = b.threads;
        this.giveUpAfter = b.giveUpAfter;
        this.log = b.log;
    }

    /** Returns a builder; the server, the client id and TLS (or plaintext) are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Joins the run and trains until it is over.
     *
     * @return the number of rounds this client completed
     * @throws InvalidInputException if the run's settings or this client's data do not fit
     * @throws TransportException if the server stays unreachable longer than the client keeps trying
     */
    public int run() {
        ManagedChannel channel = RoleServer.channel(host, port, tls);
        ManagedChannel mainChannel = null;
        try {
            RemoteClient remote = new RemoteClient(channel, clientId, CALL_TIMEOUT, giveUpAfter, log);
            JoinReply joined = remote.join();
            Map<String, String> received = new LinkedHashMap<>(joined.getConfigMap());
            String mainAddress = received.remove(RemoteDeployment.MAIN_SERVER_KEY);
            String vocabularyDigest = received.remove(RemoteDeployment.VOCABULARY_KEY);
            DataSchema schema = schema(joined, received.remove(ClientFiles.SCHEMA_KEY));
            ClientModel model = ClientModel.of(received);
            // Where the server read its data and how many threads it runs are the server process's own.
            received.remove("data-dir");
            received.remove("threads");
            Map<String, String> mine = new LinkedHashMap<>(received);
            put(mine, "threads", threads);
            put(mine, "dataset", dataset);
            put(mine, "partition", partition);
            put(mine, "clients", clients);
            SimulationConfig cfg = fromServer(mine);
            // The threshold and who misbehaves are the server's, over its K clients, whatever this client's own --clients.
            SimulationConfig run = fromServer(received);
            MainServer main = null;
            if (cfg.scheme().isSplit() && mainAddress == null) {
                main = remote.mainServer(cfg.compress());
            } else if (cfg.scheme().isSplit()) {
                HostPort at = HostPort.parse(mainAddress, "the main server's address the server sent");
                mainChannel = RoleServer.channel(at.host(), at.port(), tls);
                main = new GrpcMainServer(mainChannel, CALL_TIMEOUT, cfg.compress());
            }
            Attack attack = run.maliciousClients().contains(clientId) ? run.attack() : null;
            ClientAssembly client = assemble(cfg, remote, main, cfg.secureAgg() ? run.secureAggThreshold() : 0, attack,
                    vocabularyDigest, schema, model);
            // The client declares how many samples it trains on and whether they are its own (read
            // from --data-dir). The server bounds the sample count of its updates by that
            // declaration for data of its own, and by its share of the partition otherwise.
            remote.join(client.client().samples(), dataDir != null);
            log.printf("client %d joined %s:%d: %d samples of %s%s%s%n", clientId, host, port, client.client().samples(),
                    cfg.dataset(), client.secureAggregation() != null ? ", secure aggregation" : "",
                    attack != null ? ", malicious (" + attack.spec() + ")" : "");
            log.flush();
            return remote.run(client.client(), client.secureAggregation());
        } finally {
            channel.shutdownNow();
            if (mainChannel != null) {
                mainChannel.shutdownNow();
            }
        }
    }

    private static void put(Map<String, String> settings, String key, Object override) {
        if (override != null) {
            settings.put(key, override.toString());
        }
    }

    /** Assembles the client the run's scheme needs, holding only this client's data. */
    private ClientAssembly assemble(SimulationConfig cfg, RemoteClient remote, MainServer main, int threshold,
            Attack attack, String vocabularyDigest, DataSchema schema, ClientModel model) {
        Torch.setThreads(cfg.threads());
        Dataset own = schema != null && dataDir != null
                ? ClientData.loadOwn(cfg, clientIndex != null ? clientIndex : clientId, dataDir, schema)
                : ClientData.load(cfg, clientIndex != null ? clientIndex : clientId, dataDir, vocabulary);
        ClientData.checkVocabulary(own, vocabularyDigest);
        Architecture plain = model != null ? model.architecture(remote, modelDir, own.numClasses(), log)
                : cfg.architecture() != null ? cfg.architecture() : Architecture.create(cfg.model(), own);
        // The run seed is no secret (every client is told it), and noise the server could replay is
        // noise it could subtract: the noise at the cut and DP-SGD's come from SecureRandom.
        Architecture architecture = NoisyCut.of(plain, cfg.cut(), cfg.smashedNoise(), NoiseSource.secure());
        float[] head = null;
        if (cfg.personalHead()) {
            // FedPer: the head starts as the run's initial head, which the seed (or the model's files) fixes, and
            // stays in this JVM.
            if (architecture.carriesWeights()) {
                try (ModelPart last = ModelPart.create(architecture, architecture.stages() - 1, architecture.stages())) {
                    head = last.weights();
                }
            } else {
                float[] whole = Simulation.initialWeights(architecture, cfg.cut(), cfg.seed());
                head = Arrays.copyOfRange(whole, whole.length - PersonalHead.size(architecture), whole.length);
            }
        }
        return ClientAssembly.builder(cfg, architecture)
                .setData(clientId, own, PermutationSampler.natural(own.size()))
                .setFedServer(remote.fedServer(cfg.compress()))
                .setNoise(NoiseSource.secure())
                .optMainServer(main)
                .optSecureAggregation(cfg.secureAgg() ? remote.secureAggregation() : null, threshold)
                .optAttack(attack)
                .optPersonalHead(head)
                .optLayout(model != null ? model.layout(cfg) : null)
                .build();
    }

    /** Returns the run's data schema as the join carried it, checked against its announced digest and this client's pin. */
    private DataSchema schema(JoinReply joined, String announced) {
        if (announced == null) {
            return null;
        }
        DataSchema schema = new DataSchema(joined.getDataSchemaDataset(), joined.getDataSchema());
        if (!schema.digest().equals(announced)) {
            throw new InvalidInputException("the data schema the server sent does not have the SHA-256 it announced");
        }
        if (schemaDigest != null && !schemaDigest.equalsIgnoreCase(announced)) {
            throw new InvalidInputException("the server's data schema has SHA-256 " + announced + ", not the "
                    + schemaDigest + " this client was told to expect; the run reads data differently than agreed");
        }
        log.printf("client %d: the run's data schema has SHA-256 %s%n", clientId, announced);
        return schema;
    }

    /** Reads the run's settings as the server sent them, saying so if they do not hold. */
    private static SimulationConfig fromServer(Map<String, String> settings) {
        try {
            return SimulationConfig.fromSettings(settings);
        } catch (InvalidInputException e) {
            throw e.withContext("the server's run settings are not understood: ");
        }
    }

    /** Collects a client runner's settings: the server, the client's id and TLS are required, the rest optional. */
    public static final class Builder {

        private String host;
        private int port;
        private Integer clientId;
        private Integer clientIndex;
        private TlsMaterial tls;
        private boolean insecure;
        private String dataset;
        private String partition;
        private Integer clients;
        private Path dataDir;
        private Path vocabulary;
        private Path modelDir;
        private String schemaDigest;
        private Integer threads;
        private Duration giveUpAfter = Duration.ofMinutes(10);
        private PrintWriter log = new PrintWriter(Writer.nullWriter());

        private Builder() {}

        /**
         * Sets where the server listens.
         *
         * @param host its host name, as its certificate names it
         * @param port its port, in 0 to 65535
         * @return this builder
         */
        public Builder setServer(String host, int port) {
            HostPort at = new HostPort(host, port);
            this.host = at.host();
            this.port = at.port();
            return this;
        }

        /**
         * Sets this client's id; its certificate's common name is {@code client-<id>}.
         *
         * @param clientId the id
         * @return this builder
         */
        public Builder setClientId(int clientId) {
            this.clientId = clientId;
            return this;
        }

        /**
         * Sets the client's TLS material: the CA and its own certificate and key.
         *
         * @param tls the material
         * @return this builder
         */
        public Builder setTls(TlsMaterial tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /**
         * Talks plaintext, without authentication, to a server that does the same.
         *
         * @return this builder
         */
        public Builder setInsecure() {
            this.insecure = true;
            return this;
        }

        /**
         * Sets which part of the partition this client holds (default: its id).
         *
         * @param clientIndex the part
         * @return this builder
         */
        public Builder optClientIndex(Integer clientIndex) {
            this.clientIndex = clientIndex;
            return this;
        }

        /**
         * Sets the data set to take this client's part from (default: the run's).
         *
         * @param dataset the data set's name, or null for the run's
         * @return this builder
         */
        public Builder optDataset(String dataset) {
            this.dataset = dataset;
            return this;
        }

        /**
         * Sets how the data set is divided (default: the run's).
         *
         * @param partition the partition spec, or null for the run's
         * @return this builder
         */
        public Builder optPartition(String partition) {
            this.partition = partition;
            return this;
        }

        /**
         * Sets into how many parts the data set is divided (default: the run's).
         *
         * @param clients the number of parts, or null for the run's
         * @return this builder
         */
        public Builder optClients(Integer clients) {
            this.clients = clients;
            return this;
        }

        /**
         * Gives this client its own data: every training sample of the data set's files in the
         * directory, no partition (a hospital's own records).
         *
         * @param dataDir the directory, or null to take a part of the run's data set
         * @return this builder
         */
        public Builder optDataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /**
         * Gives this client its own copy of a TorchScript model's stages instead of receiving them
         * from the server; each stage it trains must have the server's SHA-256.
         *
         * @param modelDir the directory holding {@code stage0.pt}, …, or null to receive them
         * @return this builder
         */
        public Builder optModelDir(Path modelDir) {
            this.modelDir = modelDir;
            return this;
        }

        /**
         * Pins the SHA-256 of the data schema this client expects the server to send (how its own
         * files are read); a server that sends another is refused.
         *
         * @param digest 64 hexadecimal digits, or null to accept the server's
         * @return this builder
         */
        public Builder optSchemaDigest(String digest) {
            if (digest != null && !digest.matches("[0-9a-fA-F]{64}")) {
                throw new InvalidInputException("a data schema digest is 64 hexadecimal digits, got '" + digest + "'");
            }
            this.schemaDigest = digest;
            return this;
        }

        /**
         * Sets the run's vocabulary, which a client's own text (a run on words) is read with.
         *
         * @param vocabulary the server's vocabulary file, or null
         * @return this builder
         */
        public Builder optVocabulary(Path vocabulary) {
            this.vocabulary = vocabulary;
            return this;
        }

        /**
         * Sets PyTorch's threads (default: the run's setting, the number of cores).
         *
         * @param threads the threads, or null for the default
         * @return this builder
         */
        public Builder optThreads(Integer threads) {
            this.threads = threads;
            return this;
        }

        /**
         * Sets how long to keep trying while the server is unreachable (default 10 minutes).
         *
         * @param giveUpAfter the time
         * @return this builder
         */
        public Builder optGiveUpAfter(Duration giveUpAfter) {
            this.giveUpAfter = Objects.requireNonNull(giveUpAfter, "giveUpAfter");
            return this;
        }

        /**
         * Sets where progress lines go (default: nowhere).
         *
         * @param log the writer
         * @return this builder
         */
        public Builder optLog(PrintWriter log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        /**
         * Returns the runner.
         *
         * @return the runner
         * @throws IllegalStateException if the server, the client id or the choice of TLS is missing
         * @throws InvalidInputException if the options contradict each other
         */
        public ClientRunner build() {
            if (host == null || clientId == null || (tls == null) != insecure) {
                throw new IllegalStateException("a client runner needs the server (setServer), its id (setClientId), "
                        + "and TLS material (setTls) or plaintext (setInsecure)");
            }
            if (dataDir != null && (clientIndex != null || partition != null || clients != null)) {
                throw new InvalidInputException(
                        "{data-dir} gives this client its own data, so {client-index}, {partition} and {clients} do not apply");
            }
            return new ClientRunner(this);
        }
    }
}
