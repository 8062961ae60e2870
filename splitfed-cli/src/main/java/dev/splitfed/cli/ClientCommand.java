package dev.splitfed.cli;

import dev.splitfed.InvalidInputException;
import dev.splitfed.byzantine.Attack;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.data.Fortunes;
import dev.splitfed.data.LocalHoldout;
import dev.splitfed.data.Partitioner;
import dev.splitfed.data.Vocabulary;
import dev.splitfed.engine.Torch;
import dev.splitfed.grpc.GrpcMainServer;
import dev.splitfed.grpc.RemoteClient;
import dev.splitfed.grpc.RemoteDeployment;
import dev.splitfed.grpc.RoleServer;
import dev.splitfed.grpc.TlsMaterial;
import dev.splitfed.model.Architecture;
import dev.splitfed.privacy.NoiseSource;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.model.SplitLayout;
import dev.splitfed.model.NoisyCut;
import dev.splitfed.random.Seeds;
import dev.splitfed.role.Client;
import dev.splitfed.role.FedServer;
import dev.splitfed.role.FederatedClient;
import dev.splitfed.role.MainServer;
import dev.splitfed.role.PersonalHead;
import dev.splitfed.role.ProgressListener;
import dev.splitfed.role.SplitClient;
import dev.splitfed.role.UShapedClient;
import dev.splitfed.scheme.Simulation;
import dev.splitfed.scheme.SimulationConfig;
import dev.splitfed.secagg.MaskingFedServer;
import dev.splitfed.secagg.SecAggClient;
import dev.splitfed.train.LocalTraining;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.rng.sampling.PermutationSampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code splitfed client}: one data owner joining a served run. */
@Command(
        name = "client",
        header = "Joins a served run as one data owner and trains on that owner's data.",
        modelTransformer = SettingsOptions.GroupedHelp.class,
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        sortOptions = false,
        description = {
            "Joins a run served by splitfed server, receives its settings, loads only this client's data (its "
                    + "part of the run's data set and partition, or all of its own files with --data-dir), and trains "
                    + "whenever the server gives it a turn, until the run is over. It keeps trying while the server is "
                    + "unreachable (a restart) and waits for the next round if it misses one.",
            "",
            "Example: splitfed client --server localhost:7443 --certs certs --client-id 0",
            ""
        })
final class ClientCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--server", required = true, paramLabel = "HOST:PORT",
            description = "Where the server listens. Example: --server fed.example.org:7443")
    private String server;

    @Option(names = "--client-id", required = true, paramLabel = "ID",
            description = "This client's id; its certificate is client-<ID>. Example: --client-id 3")
    private int clientId;

    @Option(names = "--client-index", paramLabel = "I",
            description = "Which part of the partition this client holds (default: its id). Example: --client-index 3")
    private Integer clientIndex;

    @Option(names = "--certs", defaultValue = "certs", paramLabel = "DIR",
            description = "Directory with ca.crt, client-<ID>.crt and client-<ID>.key. Example: --certs /etc/splitfed")
    private Path certs;

    @Option(names = "--insecure", description = "Plaintext, for a server started with --insecure. Example: --insecure")
    private boolean insecure;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "Data set to take this client's part from (default: the run's). Example: --dataset fashion-mnist")
    private String dataset;

    @Option(names = "--partition", paramLabel = "SPEC",
            description = "How the data set is divided (default: the run's). Example: --partition dirichlet:0.5")
    private String partition;

    @Option(names = "--clients", paramLabel = "K",
            description = "Into how many parts (default: the run's). Example: --clients 10")
    private Integer clients;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "This client's own data: every training sample of the data set's files in DIR, no "
                    + "partition (a hospital's own records). Example: --data-dir /srv/hospital-a/fmnist")
    private Path dataDir;

    /** The settings key under which the server sends the digest of a run's vocabulary. */
    static final String VOCABULARY_KEY = "vocabulary-sha256";

    @Option(names = "--vocabulary", paramLabel = "FILE",
            description = "With --data-dir and a run on words (fortunes): the run's vocabulary, the server's "
                    + "OUT/vocabulary.txt, which this client's text is read with. Example: --vocabulary vocabulary.txt")
    private Path vocabulary;

    @Option(names = "--threads", paramLabel = "T",
            description = "PyTorch threads (default: the number of cores). Example: --threads 1")
    private Integer threads;

    @Option(names = "--give-up-after", defaultValue = "10m", converter = DurationConverter.class, paramLabel = "TIME",
            description = "How long to keep trying while the server is unreachable. Example: --give-up-after 1h")
    private Duration giveUpAfter;

    /** This client's half of secure aggregation, when the run has it. */
    private SecAggClient secure;

    @Override
    public Integer call() {
        int colon = server.lastIndexOf(':');
        if (colon <= 0 || colon == server.length() - 1 || !server.substring(colon + 1).matches("[0-9]{1,5}")) {
            throw new InvalidInputException("--server must be HOST:PORT, e.g. localhost:7443, not '" + server + "'");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        TlsMaterial tls = null;
        if (insecure) {
            stderr.println("Warning: --insecure: plaintext, without authentication.");
        } else {
            tls = TlsMaterial.read(certs, "client-" + clientId);
        }
        ManagedChannel channel = RoleServer.channel(
                server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)), tls);
        ManagedChannel mainChannel = null;
        try {
            RemoteClient remote = new RemoteClient(channel, clientId, Duration.ofMinutes(10), giveUpAfter, stdout);
            Map<String, String> settings = new LinkedHashMap<>(remote.join());
            String mainAddress = settings.remove(RemoteDeployment.MAIN_SERVER_KEY);
            String vocabularyDigest = settings.remove(VOCABULARY_KEY);
            List<String> overrides = new ArrayList<>();
            if (threads != null) {
                overrides.addAll(List.of("--threads", threads.toString()));
            }
            if (dataset != null) {
                overrides.addAll(List.of("--dataset", dataset));
            }
            if (partition != null) {
                overrides.addAll(List.of("--partition", partition));
            }
            if (clients != null) {
                overrides.addAll(List.of("--clients", clients.toString()));
            }
            if (dataDir != null && (clientIndex != null || partition != null || clients != null)) {
                throw new InvalidInputException(
                        "--data-dir gives this client its own data, so --client-index, --partition and --clients do not apply");
            }
            SimulationConfig cfg = RunSettings.fromMap(settings, overrides.toArray(String[]::new));
            MainServer main;
            if (mainAddress == null) {
                main = remote.mainServer(cfg.compress());
            } else {
                int split = mainAddress.lastIndexOf(':');
                mainChannel = RoleServer.channel(
                        mainAddress.substring(0, split), Integer.parseInt(mainAddress.substring(split + 1)), tls);
                main = new GrpcMainServer(mainChannel, Duration.ofMinutes(10), cfg.compress());
            }
            // The threshold is the server's, whatever this client's own --clients partitions its data into.
            SimulationConfig run = RunSettings.fromMap(settings);
            int threshold = cfg.secureAgg() ? run.secureAggThreshold() : 0;
            // Who misbehaves is the server's draw over its K clients, whatever this client's own --clients.
            Attack attack = run.maliciousClients().contains(clientId) ? run.attack() : null;
            Client client = build(cfg, remote, main, threshold, attack, vocabularyDigest);
            stdout.printf("client %d joined %s: %d samples of %s%s%s%n", clientId, server, client.samples(), cfg.dataset(),
                    secure != null ? ", secure aggregation" : "", attack != null ? ", malicious (" + attack.spec() + ")" : "");
            stdout.flush();
            remote.run(client, secure);
        } finally {
            channel.shutdownNow();
            if (mainChannel != null) {
                mainChannel.shutdownNow();
            }
        }
        return 0;
    }

    /** Builds the client the scheme needs, holding only this client's data. */
    private Client build(SimulationConfig cfg, RemoteClient remote, MainServer main, int threshold, Attack attack,
            String vocabularyDigest) {
        int index = clientIndex != null ? clientIndex : clientId;
        Torch.setThreads(cfg.threads());
        Dataset own = ownData(cfg, index, dataDir, vocabulary);
        checkVocabulary(own, vocabularyDigest);
        if (attack != null) {
            own = attack.data(own);
            main = attack.mainServer(main, cfg.seed());
        }
        String model = cfg.model() != null ? cfg.model() : DatasetCatalog.naturalModel(cfg.dataset());
        // The run seed is no secret (every client is told it), and noise the server could replay is
        // noise it could subtract: the noise at the cut and DP-SGD's come from SecureRandom.
        Architecture architecture = NoisyCut.of(Architecture.create(model, own),
                cfg.cut(), cfg.smashedNoise(), NoiseSource.secure());
        LocalTraining training = new LocalTraining(cfg.localEpochs(), cfg.batchSize(), cfg.optimizer(), cfg.seed(),
                cfg.dpSgd(), NoiseSource.secure(), cfg.proxMu(), cfg.scaffold());
        int[] all = PermutationSampler.natural(own.size());
        FedServer fed = remote.fedServer(cfg.compress());
        if (cfg.secureAgg()) {
            secure = new SecAggClient(
                    clientId, own.size(), threshold, remote.secureAggregation(), new SecureRandom());
            fed = new MaskingFedServer(fed, secure);
        }
        if (attack != null) {
            // Poisoned before masking, as in a simulation.
            fed = attack.fedServer(fed, cfg.seed());
        }
        if (cfg.personalHead()) {
            // FedPer: the head starts as the run's initial head, which the seed fixes, and stays in this JVM.
            float[] whole = Simulation.initialWeights(architecture, cfg.cut(), cfg.seed());
            fed = new PersonalHead(fed, Arrays.copyOfRange(whole, whole.length - PersonalHead.size(architecture), whole.length));
        }
        if (cfg.scheme().isSplit() && cfg.labels() == LabelSharing.PRIVATE) {
            return new UShapedClient(clientId, own, all, architecture,
                    SplitLayout.of(architecture, cfg.cut(), LabelSharing.PRIVATE), training, fed, main, ProgressListener.NONE);
        }
        return cfg.scheme().isSplit()
                ? new SplitClient(clientId, own, all, architecture, cfg.cut(), training, fed, main, ProgressListener.NONE)
                : new FederatedClient(clientId, own, all, architecture, cfg.cut(), training, fed, ProgressListener.NONE);
    }

    /**
     * Checks that a client's words have the run's indices: a client that read other fortune files,
     * or another run's vocabulary, would train on words that mean something else to the server,
     * with weights of the same shape, and nothing else would notice.
     *
     * @param own the client's samples
     * @param runDigest the server's {@link Vocabulary#digest()}, or null for a run on other data
     * @throws InvalidInputException if the vocabularies differ
     */
    static void checkVocabulary(Dataset own, String runDigest) {
        if (own.kind() != Dataset.Kind.TOKENS || runDigest == null) {
            return;
        }
        if (!Vocabulary.of(own.classNames()).digest().equals(runDigest)) {
            throw new InvalidInputException("this client's vocabulary is not the run's, so its word indices would mean "
                    + "other words to the server: give it the server's OUT/" + Vocabulary.FILE + " with --vocabulary "
                    + "(and --data-dir), or the same fortune files the server read");
        }
    }

    /**
     * Returns a client's data: every training sample in {@code ownDir}, or else part {@code index}
     * of the run's data set as the run partitions it (the same samples an in-process run gives
     * client {@code index}); the rest of the data set is not kept. With {@code --personal-holdout}
     * the samples the client holds out are left out too, as the simulation leaves them out of training.
     *
     * @param cfg the run's settings, with this client's overrides
     * @param index the part of the partition
     * @param ownDir the client's own data directory, or null
     * @param vocabulary with {@code ownDir} and a data set of words, the run's vocabulary file; else null
     * @return the client's samples
     */
    static Dataset ownData(SimulationConfig cfg, int index, Path ownDir, Path vocabulary) {
        boolean words = cfg.dataset().equals(Fortunes.NAME);
        if (vocabulary != null && (ownDir == null || !words)) {
            throw new InvalidInputException("--vocabulary applies only with --data-dir to a run on words (fortunes)");
        }
        if (ownDir != null) {
            if (words && vocabulary == null) {
                throw new InvalidInputException("this client's own text must be read with the run's vocabulary, so that "
                        + "word indices mean the same to every client: pass --vocabulary with the server's OUT/"
                        + Vocabulary.FILE);
            }
            // A phone's own text is all for training: the run's test text is the server's.
            Dataset own = words ? Fortunes.loadAll(ownDir, Vocabulary.readFile(vocabulary))
                    : DatasetCatalog.load(cfg.dataset(), ownDir, Map.of()).train();
            return cfg.personalHoldout() > 0
                    ? own.select(LocalHoldout.of(PermutationSampler.natural(own.size()), cfg.personalHoldout(), cfg.seed(),
                            index).train())
                    : own;
        }
        if (index < 0 || index >= cfg.clients()) {
            throw new InvalidInputException("client-index must be in 0 to " + (cfg.clients() - 1) + ", got " + index);
        }
        DataSplit data = DatasetCatalog.load(cfg.dataset(), null, System.getenv());
        Dataset train = cfg.limit() > 0 ? data.train().head(cfg.limit()) : data.train();
        int[] mine = Partitioner.parse(cfg.partition())
                .partition(train, cfg.clients(), Seeds.derive(cfg.seed(), "partition"))[index];
        return train.select(cfg.personalHoldout() > 0
                ? LocalHoldout.of(mine, cfg.personalHoldout(), cfg.seed(), index).train()
                : mine);
    }
}
