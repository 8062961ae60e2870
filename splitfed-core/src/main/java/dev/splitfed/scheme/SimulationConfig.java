package dev.splitfed.scheme;

import dev.splitfed.InvalidInputException;
import dev.splitfed.data.DataOptions;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.data.DatasetProvider;
import dev.splitfed.data.ImageSize;
import dev.splitfed.internal.data.IidPartitioner;
import dev.splitfed.data.Partitioner;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.ModelProvider;
import dev.splitfed.cost.LinkRate;
import dev.splitfed.hetero.DeviceSpeeds;
import dev.splitfed.hetero.FedBuffConfig;
import dev.splitfed.hetero.Stragglers;
import dev.splitfed.hetero.TimeModel;
import dev.splitfed.aggregate.AggregatorSpec;
import dev.splitfed.byzantine.Attack;
import dev.splitfed.aggregate.Strategy;
import dev.splitfed.compress.Codec;
import dev.splitfed.privacy.DpFedAvgConfig;
import dev.splitfed.privacy.DpSgdConfig;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.privacy.SmashedNoise;
import dev.splitfed.scheme.OptimizerSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything that defines a simulated training run. Built with {@link #builder()}; every setting
 * is optional and has the documented default; {@link Builder#build()} checks each value and
 * refuses a bad one with a sentence that names it.
 */
public final class SimulationConfig {

    private final Scheme scheme;
    private final Architecture architecture;
    private final String model;
    private final boolean modelGiven;
    private final Float lrGiven;
    private final String dataset;
    private final Path dataDir;
    private final String label;
    private final String owner;
    private final Path testFile;
    private final ImageSize imageSize;
    private final Integer channels;
    private final boolean localBn;
    private final int cut;
    private final int clients;
    private final double fraction;
    private final int rounds;
    private final int localEpochs;
    private final int batchSize;
    private final OptimizerSpec optimizer;
    private final Partitioner partitioner;
    private final Codec compress;
    private final DpSgdConfig dpSgd;
    private final DpFedAvgConfig dpFedAvg;
    private final double delta;
    private final LabelSharing labels;
    private final SmashedNoise smashedNoise;
    private final long seed;
    private final int limit;
    private final int threads;
    private final boolean secureAgg;
    private final int secureAggDropouts;
    private final Integer secureAggDropoutsGiven;
    private final DeviceSpeeds speeds;
    private final TimeModel.BatchSeconds batchSeconds;
    private final LinkRate link;
    private final double deadline;
    private final Stragglers stragglers;
    private final FedBuffConfig fedBuff;
    private final AggregatorSpec aggregator;
    private final int malicious;
    private final Attack attack;
    private final boolean scaffold;
    private final boolean personalHead;
    private final double personalHoldout;
    private final Double personalHoldoutGiven;
    private final Strategy strategy;
    private final double proxMu;

    private SimulationConfig(Builder b) {
        this.scheme = b.scheme;
        this.architecture = b.architecture;
        this.dataset = b.dataset;
        Optional<DatasetProvider> known = DatasetCatalog.provider(b.dataset);
        int colon = b.dataset.indexOf(':');
        String argument = colon < 0 ? null : b.dataset.substring(colon + 1);
        this.modelGiven = b.architecture != null || b.model != null;
        this.lrGiven = b.lr;
        this.model = b.architecture != null ? b.architecture.name()
                : b.model != null ? b.model
                : known.map(p -> p.naturalModel(argument)).orElse(null);
        this.dataDir = b.dataDir;
        this.label = b.label;
        this.owner = b.owner;
        this.testFile = b.testFile;
        this.imageSize = b.imageSize;
        this.channels = b.channels;
        this.localBn = b.localBn;
        this.cut = b.cut;
        this.clients = b.clients;
        this.fraction = b.fraction;
        this.rounds = b.rounds;
        this.localEpochs = b.localEpochs;
        this.batchSize = b.batchSize;
        this.optimizer = new OptimizerSpec(b.optimizer, b.lr != null ? b.lr : defaultLearningRate(model, b.optimizer),
                b.momentum);
        this.partitioner = b.partitioner != null ? b.partitioner
                : Partitioner.parse(known.map(DatasetProvider::naturalPartition).orElse(IidPartitioner.SPEC));
        this.compress = b.compress;
        this.dpSgd = b.dpSgd;
        this.dpFedAvg = b.dpFedAvg;
        this.delta = b.delta;
        this.labels = b.labels;
        this.smashedNoise = b.smashedNoise;
        this.seed = b.seed;
        this.limit = b.limit;
        this.threads = b.threads != null ? b.threads : Runtime.getRuntime().availableProcessors();
        this.secureAgg = b.secureAgg;
        this.strategy = b.strategy;
        this.proxMu = b.proxMu;
        this.secureAggDropoutsGiven = b.secureAggDropouts;
        this.secureAggDropouts = b.secureAggDropouts != null ? b.secureAggDropouts : defaultDropouts(participantsPerRound());
        this.speeds = b.speeds;
        this.batchSeconds = b.batchSeconds;
        this.link = b.link;
        this.deadline = b.deadline;
        this.stragglers = b.stragglers;
        this.fedBuff = b.fedBuff;
        this.aggregator = b.aggregator;
        this.malicious = b.malicious;
        this.attack = b.attack;
        this.scaffold = b.scaffold;
        this.personalHead = b.personalHead;
        this.personalHoldoutGiven = b.personalHoldout;
        this.personalHoldout = b.personalHoldout != null ? b.personalHoldout : b.personalHead ? DEFAULT_HOLDOUT : 0;
    }

    /**
     * Returns the learning rate when none is given: the model's own default for the optimizer
     * ({@link ModelProvider#defaultLearningRate}), 0.01 for a model no provider knows.
     */
    private static float defaultLearningRate(String model, String optimizer) {
        return model == null ? 0.01f : ModelProvider.registry().find(model)
                .map(p -> p.defaultLearningRate(optimizer == null ? "" : optimizer)).orElse(0.01f);
    }

    /** The largest batch a run takes: 2^20 samples. */
    public static final int MAX_BATCH_SIZE = 1 << 20;

    /** The most PyTorch threads a run takes. */
    public static final int MAX_THREADS = 1024;

    /** The share of each client's samples held out for its own evaluation with {@code --personal-head}, by default. */
    public static final double DEFAULT_HOLDOUT = 0.2;

    /** Returns a builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the scheme (default {@code sflv1}). */
    public Scheme scheme() {
        return scheme;
    }

    /**
     * Returns the model's name: the architecture's, the one set, or else the data set's own model;
     * null only for a data set no provider knows, given without a model.
     */
    public String model() {
        return model;
    }

    /** Returns the architecture object the run trains, or null to create the one {@link #model()} names. */
    public Architecture architecture() {
        return architecture;
    }

    /** Returns the data set name (default {@code fashion-mnist}). */
    public String dataset() {
        return dataset;
    }

    /** Returns the data directory the user named, or null. */
    public Path dataDir() {
        return dataDir;
    }

    /** Returns the table column that holds the class, or null for the last column. */
    public String label() {
        return label;
    }

    /** Returns the table column that names each row's owner, or null for none. */
    public String owner() {
        return owner;
    }

    /** Returns the file holding the test split, or null to split the training file. */
    public Path testFile() {
        return testFile;
    }

    /** Returns the size images are resized to, or null for the first image's size. */
    public ImageSize imageSize() {
        return imageSize;
    }

    /** Returns the channels per image that were asked for, or null for the images' own. */
    public Integer channelsGiven() {
        return channels;
    }

    /**
     * Returns how the data set is asked to be read: the settings {@code label}, {@code owner},
     * {@code test-file}, {@code image-size} and {@code channels}.
     *
     * @return the options
     */
    public DataOptions dataOptions() {
        return new DataOptions(label, owner, testFile, imageSize, channels == null ? 0 : channels);
    }

    /**
     * Returns whether every client keeps the batch-normalisation layers of its part of the model
     * to itself: FedBN (Li et al. 2021; default false).
     */
    public boolean localBn() {
        return localBn;
    }

    /** Returns the cut (default 1: after the first stage). */
    public int cut() {
        return cut;
    }

    /** Returns the number of clients K (default 5). */
    public int clients() {
        return clients;
    }

    /** Returns the fraction of clients selected each round (default 1). */
    public double fraction() {
        return fraction;
    }

    /** Returns the number of rounds (default 10). */
    public int rounds() {
        return rounds;
    }

    /** Returns the local epochs per round (default 1). */
    public int localEpochs() {
        return localEpochs;
    }

    /** Returns the batch size (default 64). */
    public int batchSize() {
        return batchSize;
    }

    /** Returns the optimizer settings (default SGD, lr 0.01, momentum 0.9). */
    public OptimizerSpec optimizer() {
        return optimizer;
    }

    /**
     * Returns how smashed data, cut-layer gradients and client updates are encoded on the wire
     * (default {@link Codec#NONE}).
     */
    public Codec compress() {
        return compress;
    }

    /** Returns sample-level DP-SGD's settings for the clients, or null (the default) for none. */
    public DpSgdConfig dpSgd() {
        return dpSgd;
    }

    /** Returns user-level DP-FedAvg's settings for the fed server, or null (the default) for none. */
    public DpFedAvgConfig dpFedAvg() {
        return dpFedAvg;
    }

    /** Returns the delta at which epsilon is reported (default 1e-5). */
    public double delta() {
        return delta;
    }

    /**
     * Returns whether the split schemes' clients send labels to the main server (default
     * {@link LabelSharing#SHARED}) or keep them with the head of a U-shaped split.
     */
    public LabelSharing labels() {
        return labels;
    }

    /**
     * Returns the noise layer at the cut of the split schemes (default {@link SmashedNoise#NONE}).
     */
    public SmashedNoise smashedNoise() {
        return smashedNoise;
    }

    /** Returns the partition's spec (default: the data set's own, {@code natural} for fortunes, else {@code iid}). */
    public String partition() {
        return partitioner.spec();
    }

    /** Returns how the training set is divided among the clients. */
    public Partitioner partitioner() {
        return partitioner;
    }

    /** Returns the run seed (default 1). */
    public long seed() {
        return seed;
    }

    /** Returns how many training samples to use from the start of the set; 0 for all. */
    public int limit() {
        return limit;
    }

    /** Returns the number of PyTorch intra-op threads (default: the number of cores). */
    public int threads() {
        return threads;
    }

    /** Returns the number of clients selected each round: {@code max(1, round(fraction * clients))}. */
    public int participantsPerRound() {
        return participants(fraction, clients);
    }

    private static int participants(double fraction, int clients) {
        return Math.max(1, (int) Math.round(fraction * clients));
    }

    /**
     * Returns whether the fed server aggregates client models securely (Bonawitz et al. 2017), so
     * that it never holds one client's weights in the clear (default false).
     */
    public boolean secureAgg() {
        return secureAgg;
    }

    /**
     * Returns T, how many of a round's clients may drop out after the key setup while secure
     * aggregation still completes the round (default {@code floor((m - 1) / 2)} for m clients a round).
     */
    public int secureAggDropouts() {
        return secureAggDropouts;
    }

    /**
     * Returns the server optimizer of the fed server and of SFLV1's main server (default plain
     * FedAvg; Reddi et al. 2021).
     */
    public Strategy strategy() {
        return strategy;
    }

    /**
     * Returns FedProx's mu (Li et al. 2020): each client adds {@code mu/2 * ||w - w_start||^2} to its
     * local loss, w_start being the round's downloaded weights (default 0: none).
     */
    public double proxMu() {
        return proxMu;
    }

    /** Returns t = m - T: the clients that must survive a round, and the shares that rebuild a secret. */
    public int secureAggThreshold() {
        return participantsPerRound() - secureAggDropouts;
    }

    private static int defaultDropouts(int participants) {
        return (participants - 1) / 2;
    }

    /** Returns the simulated devices' slowdowns (default {@link DeviceSpeeds#UNIFORM}). */
    public DeviceSpeeds speeds() {
        return speeds;
    }

    /** Returns the reference seconds of one batch for the simulated clock (default {@link TimeModel.BatchSeconds#DEFAULT}). */
    public TimeModel.BatchSeconds batchSeconds() {
        return batchSeconds;
    }

    /** Returns the clients' link rate for the simulated clock, or null (the default) for free communication. */
    public LinkRate link() {
        return link;
    }

    /** Returns the synchronous rounds' deadline in simulated seconds, or 0 (the default) for none. */
    public double deadline() {
        return deadline;
    }

    /** Returns what a round does with clients that miss the deadline (default {@link Stragglers#DROP}). */
    public Stragglers stragglers() {
        return stragglers;
    }

    /** Returns FedBuff's settings, or null (the default) for synchronous rounds. */
    public FedBuffConfig fedBuff() {
        return fedBuff;
    }

    /**
     * Returns whether the run keeps a simulated clock: device speeds, a link, a batch time, a
     * deadline or FedBuff was given.
     */
    public boolean timed() {
        return !speeds.equals(DeviceSpeeds.UNIFORM) || !batchSeconds.equals(TimeModel.BatchSeconds.DEFAULT)
                || link != null || deadline > 0 || fedBuff != null;
    }

    /**
     * Returns the rule that combines client updates at the fed server and, in {@code sflv1}, the
     * main server's copies of W_S (default {@link AggregatorSpec#FEDAVG}).
     */
    public AggregatorSpec aggregator() {
        return aggregator;
    }

    /** Returns F, how many clients misbehave (default 0). */
    public int malicious() {
        return malicious;
    }

    /** Returns what the malicious clients do, or null (the default) for no attack. */
    public Attack attack() {
        return attack;
    }

    /**
     * Returns the ids of the malicious clients: {@link #malicious()} of them, drawn from the run
     * seed ({@link Attack#malicious}), in increasing order; empty without an attack.
     */
    public List<Integer> maliciousClients() {
        return attack == null ? List.of() : Attack.malicious(malicious, clients, seed);
    }

    /**
     * Returns whether local steps are corrected by SCAFFOLD's control variates (Karimireddy et al.
     * 2020), which travel with the weights (default false).
     */
    public boolean scaffold() {
        return scaffold;
    }

    /**
     * Returns whether every client keeps the model's last stage, its head, to itself: FedPer
     * (Arivazhagan et al. 2019); the fed server then aggregates only the rest (default false).
     */
    public boolean personalHead() {
        return personalHead;
    }

    /**
     * Returns the share of each client's samples it holds out from training to evaluate the model
     * it would use (default 0.2 with {@link #personalHead()}, else 0: none).
     */
    public double personalHoldout() {
        return personalHoldout;
    }

    /** Returns whether the model was given, by name or as an architecture, rather than taken from the data set. */
    boolean modelGiven() {
        return modelGiven;
    }

    /** Returns secure-agg-dropouts as given, or null when it was left to its default. */
    Integer secureAggDropoutsGiven() {
        return secureAggDropoutsGiven;
    }

    /** Returns personal-holdout as given, or null when it was left to its default. */
    Double personalHoldoutGiven() {
        return personalHoldoutGiven;
    }

    /**
     * Returns the settings as a run records them in {@code config.yaml} and sends them to the
     * clients that join it: each recorded setting's key and value ({@link Setting#recordedValue}),
     * in the schema's order. {@link #fromSettings} reads them back to the same configuration.
     *
     * @return key to value
     */
    public Map<String, Object> toSettings() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Setting<?> s : Settings.ALL) {
            Object value = s.recordedValue(this);
            if (value != null) {
                m.put(s.key(), value);
            }
        }
        return m;
    }

    /**
     * Builds a configuration from settings given by key: text as the command line and the wire give
     * it ({@code "dirichlet:0.5"}, {@code "5"}), or YAML's numbers and booleans, which must be of the
     * setting's {@link Setting.Kind}. Settings not given keep their defaults.
     *
     * @param values key to value, e.g. {@code local-epochs -> 2}
     * @return the checked configuration
     * @throws InvalidInputException naming an unknown key, a value of the wrong kind or a bad value
     */
    public static SimulationConfig fromSettings(Map<String, ?> values) {
        Builder b = builder();
        values.forEach((key, value) -> b.set(key, value));
        return b.build();
    }

    /**
     * Returns a builder holding this configuration's settings as they were given: a setting whose
     * default derives from others (the model, the learning rate, the partition, secure
     * aggregation's dropouts, the personal holdout) derives again from what the builder is then told.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.scheme = scheme;
        b.architecture = architecture;
        b.model = modelGiven && architecture == null ? model : null;
        b.dataset = dataset;
        b.dataDir = dataDir;
        b.label = label;
        b.owner = owner;
        b.testFile = testFile;
        b.imageSize = imageSize;
        b.channels = channels;
        b.localBn = localBn;
        b.cut = cut;
        b.clients = clients;
        b.fraction = fraction;
        b.rounds = rounds;
        b.localEpochs = localEpochs;
        b.batchSize = batchSize;
        b.optimizer = optimizer.name();
        b.lr = lrGiven;
        b.momentum = optimizer.momentum();
        b.partitioner = partitioner;
        b.compress = compress;
        b.dpSgd = dpSgd;
        b.dpFedAvg = dpFedAvg;
        b.delta = delta;
        b.labels = labels;
        b.smashedNoise = smashedNoise;
        b.seed = seed;
        b.limit = limit;
        b.threads = threads;
        b.secureAgg = secureAgg;
        b.secureAggDropouts = secureAggDropoutsGiven;
        b.speeds = speeds;
        b.batchSeconds = batchSeconds;
        b.link = link;
        b.deadline = deadline;
        b.stragglers = stragglers;
        b.fedBuff = fedBuff;
        b.aggregator = aggregator;
        b.malicious = malicious;
        b.attack = attack;
        b.scaffold = scaffold;
        b.personalHead = personalHead;
        b.personalHoldout = personalHoldoutGiven;
        b.strategy = strategy;
        b.proxMu = proxMu;
        return b;
    }

    /** Builds a {@link SimulationConfig}; every setting is optional and defaults as {@link Settings} says. */
    public static final class Builder {
        private Scheme scheme = Settings.SCHEME.defaultValue();
        private Architecture architecture;
        private String model;
        private String dataset = Settings.DATASET.defaultValue();
        private Path dataDir;
        private String label;
        private String owner;
        private Path testFile;
        private ImageSize imageSize;
        private Integer channels;
        private boolean localBn = Settings.LOCAL_BN.defaultValue();
        private int cut = Settings.CUT.defaultValue();
        private int clients = Settings.CLIENTS.defaultValue();
        private double fraction = Settings.FRACTION.defaultValue();
        private int rounds = Settings.ROUNDS.defaultValue();
        private int localEpochs = Settings.LOCAL_EPOCHS.defaultValue();
        private int batchSize = Settings.BATCH_SIZE.defaultValue();
        private String optimizer = Settings.OPTIMIZER.defaultValue();
        private Float lr;
        private float momentum = Settings.MOMENTUM.defaultValue();
        private Partitioner partitioner;
        private Codec compress = Settings.COMPRESS.defaultValue();
        private DpSgdConfig dpSgd;
        private DpFedAvgConfig dpFedAvg;
        private double delta = Settings.DELTA.defaultValue();
        private LabelSharing labels = Settings.LABELS.defaultValue();
        private SmashedNoise smashedNoise = Settings.SMASHED_NOISE.defaultValue();
        private long seed = Settings.SEED.defaultValue();
        private int limit = Settings.LIMIT.defaultValue();
        private Integer threads;
        private boolean secureAgg = Settings.SECURE_AGG.defaultValue();
        private Integer secureAggDropouts;
        private DeviceSpeeds speeds = Settings.SPEEDS.defaultValue();
        private TimeModel.BatchSeconds batchSeconds = Settings.BATCH_SECONDS.defaultValue();
        private LinkRate link;
        private double deadline = Settings.DEADLINE.defaultValue();
        private Stragglers stragglers = Settings.STRAGGLERS.defaultValue();
        private FedBuffConfig fedBuff;
        private AggregatorSpec aggregator = Settings.AGGREGATOR.defaultValue();
        private int malicious = Settings.MALICIOUS.defaultValue();
        private Attack attack;
        private boolean scaffold = Settings.SCAFFOLD.defaultValue();
        private boolean personalHead = Settings.PERSONAL_HEAD.defaultValue();
        private Double personalHoldout;
        private Strategy strategy = Settings.STRATEGY.defaultValue();
        private double proxMu = Settings.PROX_MU.defaultValue();

        private Builder() {}

        /**
         * Sets a setting by key from text, or from a YAML number or boolean of the setting's kind.
         *
         * @param key the setting's key, e.g. {@code local-epochs}
         * @param value the value
         * @return this builder
         * @throws InvalidInputException naming the key if it is unknown or the value does not fit
         */
        public Builder set(String key, Object value) {
            Setting<?> setting = Settings.get(key);
            setting.apply(this, setting.text(value));
            return this;
        }

        /** Sets the simulated devices' slowdowns. */
        public Builder optSpeeds(DeviceSpeeds speeds) {
            this.speeds = speeds;
            return this;
        }

        /** Sets the reference seconds of one batch of the client-side and the server-side layers. */
        public Builder optBatchSeconds(TimeModel.BatchSeconds batchSeconds) {
            this.batchSeconds = batchSeconds;
            return this;
        }

        /** Sets the clients' link rate for the simulated clock; null for free communication. */
        public Builder optLink(LinkRate link) {
            this.link = link;
            return this;
        }

        /** Sets the synchronous rounds' deadline in simulated seconds, {@code > 0}; 0 for none. */
        public Builder optDeadline(double deadline) {
            this.deadline = deadline;
            return this;
        }

        /** Sets what a round does with clients that miss the deadline. */
        public Builder optStragglers(Stragglers stragglers) {
            this.stragglers = stragglers;
            return this;
        }

        /** Sets FedBuff (asynchronous buffered aggregation); null for synchronous rounds. */
        public Builder optFedBuff(FedBuffConfig fedBuff) {
            this.fedBuff = fedBuff;
            return this;
        }

        /** Sets the server optimizer ({@code fl}, {@code sflv1}, {@code sflv2} only). */
        public Builder optStrategy(Strategy strategy) {
            this.strategy = strategy;
            return this;
        }

        /** Sets FedProx's mu, finite and {@code >= 0}; 0 for plain local training. */
        public Builder optProxMu(double proxMu) {
            this.proxMu = proxMu;
            return this;
        }

        /** Sets the scheme. */
        public Builder optScheme(Scheme scheme) {
            this.scheme = scheme;
            return this;
        }

        /** Sets the model by name; null picks the data set's own model. */
        public Builder optModel(String model) {
            this.model = model;
            return this;
        }

        /**
         * Sets the network itself, a staged model of the caller's own; it takes precedence over a
         * model name, and its {@link Architecture#name()} is what the run records.
         *
         * @param architecture the network, or null to create the one the model name gives
         * @return this builder
         */
        public Builder optArchitecture(Architecture architecture) {
            this.architecture = architecture;
            return this;
        }

        /** Sets the data set name. */
        public Builder optDataset(String dataset) {
            this.dataset = dataset;
            return this;
        }

        /** Sets the directory to load the data set from; null searches the usual places. */
        public Builder optDataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Sets the table column that holds the class; null for the last column. */
        public Builder optLabel(String label) {
            this.label = label;
            return this;
        }

        /** Sets the table column naming each row's owner; null for none. */
        public Builder optOwner(String owner) {
            this.owner = owner;
            return this;
        }

        /** Sets the file holding the test split; null to split the training file. */
        public Builder optTestFile(Path testFile) {
            this.testFile = testFile;
            return this;
        }

        /** Sets the size images are resized to; null for the first image's size. */
        public Builder optImageSize(ImageSize imageSize) {
            this.imageSize = imageSize;
            return this;
        }

        /** Sets the channels per image, 1 or 3; null for the images' own. */
        public Builder optChannels(Integer channels) {
            this.channels = channels;
            return this;
        }

        /** Turns FedBN's per-client batch normalisation on or off. */
        public Builder optLocalBn(boolean localBn) {
            this.localBn = localBn;
            return this;
        }

        /** Sets the cut, {@code 1 .. stages - 1} of the model. */
        public Builder optCut(int cut) {
            this.cut = cut;
            return this;
        }

        /** Sets the number of clients, {@code >= 1}. */
        public Builder optClients(int clients) {
            this.clients = clients;
            return this;
        }

        /** Sets the fraction of clients selected each round, in {@code (0, 1]}. */
        public Builder optFraction(double fraction) {
            this.fraction = fraction;
            return this;
        }

        /** Sets the number of rounds, {@code >= 1}. */
        public Builder optRounds(int rounds) {
            this.rounds = rounds;
            return this;
        }

        /** Sets the local epochs per round, {@code >= 1}. */
        public Builder optLocalEpochs(int localEpochs) {
            this.localEpochs = localEpochs;
            return this;
        }

        /** Sets the batch size, {@code >= 1}. */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Sets the optimizer, {@code sgd} or {@code adam}. */
        public Builder optOptimizer(String optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /** Sets the learning rate, {@code > 0}; null for the model's default (see {@link Settings#LR}). */
        public Builder optLearningRate(Float lr) {
            this.lr = lr;
            return this;
        }

        /** Sets the SGD momentum, in {@code [0, 1)}. */
        public Builder optMomentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        /** Sets the codec of smashed data, cut-layer gradients and client updates. */
        public Builder optCompress(Codec compress) {
            this.compress = compress;
            return this;
        }

        /** Sets DP-SGD on the clients; null for none. */
        public Builder optDpSgd(DpSgdConfig dpSgd) {
            this.dpSgd = dpSgd;
            return this;
        }

        /** Sets DP-FedAvg at the fed server; null for none. */
        public Builder optDpFedAvg(DpFedAvgConfig dpFedAvg) {
            this.dpFedAvg = dpFedAvg;
            return this;
        }

        /** Sets the delta at which epsilon is reported, in {@code (0, 1)}. */
        public Builder optDelta(double delta) {
            this.delta = delta;
            return this;
        }

        /** Sets whether clients share labels with the main server or keep them (the U-shaped split). */
        public Builder optLabels(LabelSharing labels) {
            this.labels = labels;
            return this;
        }

        /** Sets the noise layer at the cut. */
        public Builder optSmashedNoise(SmashedNoise smashedNoise) {
            this.smashedNoise = smashedNoise;
            return this;
        }

        /** Sets how the training set is divided, by spec: {@code iid}, {@code dirichlet:ALPHA}, {@code shards:N}, ... */
        public Builder optPartition(String partition) {
            this.partitioner = partition == null ? null : Partitioner.parse(partition);
            return this;
        }

        /** Sets how the training set is divided among the clients; null for the data set's own partition. */
        public Builder optPartitioner(Partitioner partitioner) {
            this.partitioner = partitioner;
            return this;
        }

        /** Sets the run seed. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Uses only the first {@code limit} training samples; 0 for all. */
        public Builder optLimit(int limit) {
            this.limit = limit;
            return this;
        }

        /** Sets the number of PyTorch intra-op threads, {@code >= 1}; null for the number of cores. */
        public Builder optThreads(Integer threads) {
            this.threads = threads;
            return this;
        }

        /** Turns secure aggregation of the client models on or off. */
        public Builder optSecureAgg(boolean secureAgg) {
            this.secureAgg = secureAgg;
            return this;
        }

        /**
         * Sets T, the dropouts per round secure aggregation tolerates, in {@code [0, floor((m - 1) / 2)]}
         * for m clients a round; null for the largest.
         */
        public Builder optSecureAggDropouts(Integer dropouts) {
            this.secureAggDropouts = dropouts;
            return this;
        }

        /** Sets the rule that combines client updates. */
        public Builder optAggregator(AggregatorSpec aggregator) {
            this.aggregator = aggregator;
            return this;
        }

        /** Sets F, how many clients misbehave, in {@code [0, clients]}; they need an attack. */
        public Builder optMalicious(int malicious) {
            this.malicious = malicious;
            return this;
        }

        /** Sets what the malicious clients do; null for no attack. */
        public Builder optAttack(Attack attack) {
            this.attack = attack;
            return this;
        }

        /** Turns SCAFFOLD's control variates on or off ({@code fl}, {@code sflv1}, {@code sflv2}). */
        public Builder optScaffold(boolean scaffold) {
            this.scaffold = scaffold;
            return this;
        }

        /** Turns FedPer's personal heads on or off; split schemes need private labels for it. */
        public Builder optPersonalHead(boolean personalHead) {
            this.personalHead = personalHead;
            return this;
        }

        /**
         * Sets the share of each client's samples held out for its own evaluation, in {@code [0, 1)};
         * null for the default (0.2 with a personal head, else 0).
         */
        public Builder optPersonalHoldout(Double personalHoldout) {
            this.personalHoldout = personalHoldout;
            return this;
        }

        /**
         * Checks every setting, then the rules of which settings go together
         * ({@link Compatibility}), and builds the configuration.
         *
         * @return the configuration
         * @throws InvalidInputException naming the first bad setting
         */
        public SimulationConfig build() {
            require(scheme != null, "{scheme} must be set");
            require(dataset != null && !dataset.isBlank(), "{dataset} must be set");
            require(clients >= 1, "{clients} must be at least 1, got " + clients);
            require(fraction > 0 && fraction <= 1, "{fraction} must be in (0, 1], got " + fraction);
            require(rounds >= 1, "{rounds} must be at least 1, got " + rounds);
            require(localEpochs >= 1, "{local-epochs} must be at least 1, got " + localEpochs);
            // Bounds far above any real run, below what overflows a byte count or exhausts native memory.
            require(batchSize >= 1 && batchSize <= MAX_BATCH_SIZE,
                    "{batch-size} must be in 1 to " + MAX_BATCH_SIZE + ", got " + batchSize);
            require(optimizer != null, "{optimizer} must be set");
            require(limit >= 0, "{limit} must be 0 (all samples) or positive, got " + limit);
            require(threads == null || (threads >= 1 && threads <= MAX_THREADS),
                    "{threads} must be in 1 to " + MAX_THREADS + ", got " + threads);
            require(compress != null, "{compress} must be set");
            require(delta > 0 && delta < 1, "{delta} must be in (0, 1), got " + delta);
            require(labels != null, "{labels} must be set");
            require(smashedNoise != null, "{smashed-noise} must be set");
            require(strategy != null, "{strategy} must be set");
            require(proxMu >= 0 && Double.isFinite(proxMu), "{prox-mu} must be a finite number >= 0, got " + proxMu);
            require(speeds != null && batchSeconds != null && stragglers != null,
                    "{speeds}, {batch-seconds} and {stragglers} must be set");
            require(deadline >= 0 && !Double.isInfinite(deadline),
                    "{deadline} must be a finite number of simulated seconds > 0 (or 0 for none), got " + deadline);
            require(aggregator != null, "{aggregator} must be set");
            require(malicious >= 0 && malicious <= clients,
                    "{malicious} must be in 0 to " + clients + " (the clients), got " + malicious);
            require(personalHoldout == null || (personalHoldout >= 0 && personalHoldout < 1),
                    "{personal-holdout} must be in [0, 1), got " + personalHoldout);
            require(channels == null || channels == 1 || channels == 3,
                    "{channels} must be 1 (grey) or 3 (colour), got " + channels);
            SimulationConfig config = new SimulationConfig(this);
            Compatibility.check(config);
            return config;
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new InvalidInputException(message);
            }
        }
    }
}
