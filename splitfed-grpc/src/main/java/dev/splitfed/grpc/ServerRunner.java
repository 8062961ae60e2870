package dev.splitfed.grpc;

import dev.splitfed.grpc.internal.Admission;
import dev.splitfed.grpc.internal.RemoteDeployment;
import dev.splitfed.grpc.internal.RoleServer;
import dev.splitfed.InvalidInputException;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import dev.splitfed.internal.data.Vocabulary;
import dev.splitfed.grpc.internal.ClientFiles;
import dev.splitfed.internal.model.NoisyCut;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.model.TorchScriptModel;
import java.util.Arrays;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.stream.Collectors;
import java.util.TreeMap;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.model.Architecture;
import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.internal.role.SplitMainServer;
import dev.splitfed.scheme.Checkpoint;
import dev.splitfed.internal.scheme.Roles;
import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.Simulation;
import dev.splitfed.scheme.SimulationConfig;
import dev.splitfed.scheme.SimulationListener;
import dev.splitfed.scheme.SimulationResult;
import java.time.Duration;
import java.util.function.IntConsumer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The server side of a deployment, for any JVM application to embed: the fed server, the main
 * server and the round coordinator of a run, serving clients in other processes over gRPC (the
 * {@link ClientRunner}s). It waits for the least number of clients, then drives the rounds; a client
 * that is gone or misses the round's deadline is dropped from that round and may rejoin a later one.
 * The main server may run in a process of its own ({@link #startMainServer}), which the fed server
 * then controls.
 */
public final class ServerRunner {

    private final SimulationConfig config;
    private final DataSplit data;
    private final Simulation simulation;
    private final int port;
    private final TlsMaterial tls;
    private final int minClients;
    private final Duration roundTimeout;
    private final long maxClientSamples;
    private final IntConsumer onListening;
    private final String mainServer;
    private final TlsMaterial mainControl;
    /** What clients receive besides the settings, read (stage files and all) once. */
    private final ClientFiles files;

    private ServerRunner(Builder b, Simulation simulation, int minClients) {
        this.config = b.config;
        this.data = b.data;
        this.simulation = simulation;
        this.files = clientFiles();
        this.port = b.port;
        this.tls = b.tls;
        this.minClients = minClients;
        this.roundTimeout = b.roundTimeout;
        this.maxClientSamples = b.maxClientSamples;
        this.onListening = b.onListening;
        this.mainServer = b.mainServer;
        this.mainControl = b.mainControl;
    }

    /** Returns a builder; the run, its data, the port and TLS (or plaintext) are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the run as prepared to serve: its model, its partition. */
    public Simulation simulation() {
        return simulation;
    }

    /** Returns how many clients must be connected before a round starts. */
    public int minClients() {
        return minClients;
    }

    /**
     * Returns the settings every client receives when it joins: the run's, without those of this
     * process alone (its data directory, its threads), and with a run on words the digest of its
     * vocabulary, which a client's words must have.
     */
    public Map<String, String> clientSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        config.toSettings().forEach((k, v) -> settings.put(k, String.valueOf(v)));
        settings.remove("data-dir");
        settings.remove("threads");
        if (data.train().kind() == Dataset.Kind.TOKENS) {
            settings.put(RemoteDeployment.VOCABULARY_KEY, Vocabulary.of(data.train().classNames()).digest());
        }
        settings.putAll(files.announcements());
        if (!files.stages().isEmpty()) {
            Architecture architecture = simulation.architecture();
            SplitLayout layout = config.scheme().isSplit()
                    ? SplitLayout.of(architecture, config.cut(), config.labels()) : null;
            settings.put(ClientFiles.STAGE_COUNT_KEY, String.valueOf(architecture.stages()));
            TorchScriptModel model = (TorchScriptModel) NoisyCut.unwrap(architecture);
            StringJoiner shapes = new StringJoiner(";");
            for (int i = 0; i < model.stages(); i++) {
                shapes.add(Arrays.stream(model.stageInput(i)).mapToObj(String::valueOf).collect(Collectors.joining("x")));
            }
            settings.put(ClientFiles.SHAPES_KEY, shapes.toString());
            if (layout != null) {
                settings.put(ClientFiles.LAYOUT_KEY,
                        layout.bottomSize() + "," + layout.serverSize() + "," + layout.headSize());
            }
        }
        return settings;
    }

    /**
     * Returns what clients receive besides the settings: the data schema, and of a TorchScript
     * model the stages a client trains (all of them in {@code fl}; else those before the cut, and
     * with private labels the last) — never the main server's.
     */
    private ClientFiles clientFiles() {
        SortedMap<Integer, byte[]> stages = new TreeMap<>();
        if (NoisyCut.unwrap(simulation.architecture()) instanceof TorchScriptModel model) {
            int stageCount = model.stages();
            for (int i = 0; i < stageCount; i++) {
                boolean client = !config.scheme().isSplit() || i < config.cut()
                        || (config.labels() == LabelSharing.PRIVATE && i == stageCount - 1);
                if (client) {
                    stages.put(i, model.bytes(i));
                }
            }
        }
        return new ClientFiles(data.schema(), stages);
    }

    /** Returns the deployment that serves the run's clients once the run connects it; close it when the run is over. */
    private RemoteDeployment deployment() {
        RemoteDeployment deployment =
                new RemoteDeployment(port, tls, minClients, roundTimeout, clientSettings(), mainServer, mainControl);
        deployment.setFiles(files);
        deployment.setMaxClientSamples(maxClientSamples);
        deployment.setOnListening(onListening);
        return deployment;
    }

    /**
     * Serves the run: waits for the clients, trains the rounds after the checkpoint, then tells
     * the clients that the run is over.
     *
     * @param listener told of progress and of each round's metrics
     * @param from the last completed round's checkpoint, or null to start from round 1
     * @return the metrics of the rounds trained now and the final global model
     */
    public SimulationResult run(SimulationListener listener, Checkpoint from) {
        try (RemoteDeployment deployment = deployment()) {
            return simulation.run(listener, from, deployment);
        }
    }

    /**
     * Starts only the run's main server, in this process, which a fed server elsewhere controls
     * (it hands over W_S and opens and closes the rounds); close it to stop serving.
     *
     * @return the running server
     * @throws InvalidInputException if the run's scheme has no main server
     */
    public RunningServer startMainServer() {
        if (!config.scheme().isSplit()) {
            throw new InvalidInputException(config.scheme().id() + " has no main server; serve the whole run with {role} all");
        }
        Torch.setThreads(config.threads());
        Architecture architecture = simulation.architecture();
        SplitLayout layout = SplitLayout.of(architecture, config.cut(), config.labels());
        float[] start;
        try (ModelPart part = ModelPart.create(architecture, config.cut(), layout.serverEnd())) {
            start = architecture.carriesWeights() ? part.weights() : part.defaultInitialWeights(config.seed(), "init-server");
        }
        SplitMainServer main = Roles.mainServer(config, architecture, start);
        return RoleServer.startMain(port, tls, config.compress(), main, config.batchSize());
    }

    /** Collects a server runner's settings: the run, its data, the port and TLS are required, the rest optional. */
    public static final class Builder {

        private SimulationConfig config;
        private DataSplit data;
        private int port = -1;
        private TlsMaterial tls;
        private boolean insecure;
        private Integer minClients;
        private Duration roundTimeout = Duration.ofMinutes(10);
        private long maxClientSamples = Admission.DEFAULT_MAX_CLIENT_SAMPLES;
        private IntConsumer onListening = port -> {};
        private String mainServer;
        private TlsMaterial mainControl;

        private Builder() {}

        /**
         * Sets the run to serve, refusing one that a deployment cannot serve.
         *
         * @param config the run's settings
         * @return this builder
         * @throws InvalidInputException for {@code central}, which has no clients, or FedBuff, which
         *     runs in simulated time
         */
        public Builder setConfig(SimulationConfig config) {
            if (config.scheme() == Scheme.CENTRAL) {
                throw new InvalidInputException("central has no clients to serve; simulate it instead");
            }
            if (config.fedBuff() != null) {
                throw new InvalidInputException("{async} runs in simulated time, one client after another, which a "
                        + "deployment's clients in real time do not; simulate it instead (also with {transport} grpc)");
            }
            this.config = config;
            return this;
        }

        /**
         * Sets the run's data: the training set the clients' parts come from, and the test set.
         *
         * @param data the data
         * @return this builder
         */
        public Builder setData(DataSplit data) {
            this.data = Objects.requireNonNull(data, "data");
            return this;
        }

        /**
         * Sets the port to listen on.
         *
         * @param port the port, 0 for any free one
         * @return this builder
         */
        public Builder setPort(int port) {
            this.port = HostPort.checkPort(port, "{port}");
            return this;
        }

        /**
         * Sets the server's TLS material: the CA and the server's certificate and key.
         *
         * @param tls the material
         * @return this builder
         */
        public Builder setTls(TlsMaterial tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /**
         * Serves plaintext, without authentication: anyone can join as any client.
         *
         * @return this builder
         */
        public Builder setInsecure() {
            this.insecure = true;
            return this;
        }

        /**
         * Sets how many clients must be connected before a round starts (default: all of the run's).
         *
         * @param minClients the number, or null for all
         * @return this builder
         */
        public Builder optMinClients(Integer minClients) {
            this.minClients = minClients;
            return this;
        }

        /**
         * Tells {@code onListening} the port once the server accepts connections (before the first
         * round waits for its clients).
         *
         * @param onListening told the bound port
         * @return this builder
         */
        public Builder optOnListening(IntConsumer onListening) {
            this.onListening = Objects.requireNonNull(onListening, "onListening");
            return this;
        }

        /**
         * Sets the most training samples a client with data of its own may declare when it joins;
         * a client's FedAvg weight is its sample count, so this bounds how far one client can
         * outweigh the others (default {@value Admission#DEFAULT_MAX_CLIENT_SAMPLES}).
         *
         * @param maxClientSamples at least 1
         * @return this builder
         * @throws InvalidInputException if it is below 1
         */
        public Builder optMaxClientSamples(long maxClientSamples) {
            if (maxClientSamples < 1) {
                throw new InvalidInputException("{max-client-samples} must be >= 1, got " + maxClientSamples);
            }
            this.maxClientSamples = maxClientSamples;
            return this;
        }

        /**
         * Sets how long a round waits for its clients before dropping the missing ones (default 10 minutes).
         *
         * @param roundTimeout the time
         * @return this builder
         */
        public Builder optRoundTimeout(Duration roundTimeout) {
            this.roundTimeout = Objects.requireNonNull(roundTimeout, "roundTimeout");
            return this;
        }

        /**
         * Runs the fed server with the main server in another process, which clients are told to use.
         *
         * @param address HOST:PORT where the main server listens
         * @param control the fed server's material for controlling it (its certificate is
         *     {@value Pki#FED_SERVER}), or null for plaintext
         * @return this builder
         */
        public Builder optMainServer(String address, TlsMaterial control) {
            this.mainServer = HostPort.parse(Objects.requireNonNull(address, "address"), "{main-server}").toString();
            this.mainControl = control;
            return this;
        }

        /**
         * Prepares the run: checks the model against the data and partitions the training set.
         *
         * @return the runner
         * @throws IllegalStateException if the run, its data, the port or the choice of TLS is missing
         * @throws InvalidInputException if the settings do not fit the data or each other
         */
        public ServerRunner build() {
            if (config == null || data == null || port < 0 || (tls == null) != insecure) {
                throw new IllegalStateException("a server runner needs the run (setConfig), its data (setData), "
                        + "a port (setPort) and TLS material (setTls) or plaintext (setInsecure)");
            }
            int min = minClients != null ? minClients : config.clients();
            if (min < 1 || min > config.clients()) {
                throw new InvalidInputException("{min-clients} must be in 1 to " + config.clients() + ", got " + min);
            }
            if (mainServer != null && !config.scheme().isSplit()) {
                throw new InvalidInputException(config.scheme().id() + " has no main server; serve the whole run with {role} all");
            }
            Simulation simulation = new Simulation(config, data);
            return new ServerRunner(this, simulation, min);
        }
    }
}
