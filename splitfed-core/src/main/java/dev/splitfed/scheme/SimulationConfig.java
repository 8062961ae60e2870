package dev.splitfed.scheme;

import dev.splitfed.InvalidInputException;
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
import dev.splitfed.secagg.FixedPoint;
import dev.splitfed.train.OptimizerSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that defines a simulated training run. Built with {@link #builder()}; every setting
 * is optional and has the documented default; {@link Builder#build()} checks each value and
 * refuses a bad one with a sentence that names it.
 */
public final class SimulationConfig {

    private final Scheme scheme;
    private final String model;
    private final String dataset;
    private final Path dataDir;
    private final int cut;
    private final int clients;
    private final double fraction;
    private final int rounds;
    private final int localEpochs;
    private final int batchSize;
    private final OptimizerSpec optimizer;
    private final String partition;
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
    private final Strategy strategy;
    private final double proxMu;

    private SimulationConfig(Builder b) {
        this.scheme = b.scheme;
        this.model = b.model;
        this.dataset = b.dataset;
        this.dataDir = b.dataDir;
        this.cut = b.cut;
        this.clients = b.clients;
        this.fraction = b.fraction;
        this.rounds = b.rounds;
        this.localEpochs = b.localEpochs;
        this.batchSize = b.batchSize;
        this.optimizer = new OptimizerSpec(b.optimizer, b.lr, b.momentum);
        this.partition = b.partition;
        this.compress = b.compress;
        this.dpSgd = b.dpSgd;
        this.dpFedAvg = b.dpFedAvg;
        this.delta = b.delta;
        this.labels = b.labels;
        this.smashedNoise = b.smashedNoise;
        this.seed = b.seed;
        this.limit = b.limit;
        this.threads = b.threads;
        this.secureAgg = b.secureAgg;
        this.strategy = b.strategy;
        this.proxMu = b.proxMu;
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
        this.personalHoldout = b.personalHoldout != null ? b.personalHoldout : b.personalHead ? DEFAULT_HOLDOUT : 0;
    }

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

    /** Returns the model name, or null for the data set's natural model. */
    public String model() {
        return model;
    }

    /** Returns the data set name (default {@code fashion-mnist}). */
    public String dataset() {
        return dataset;
    }

    /** Returns the data directory the user named, or null. */
    public Path dataDir() {
        return dataDir;
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

    /** Returns the partition spec (default {@code iid}). */
    public String partition() {
        return partition;
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

    /**
     * Returns the settings under the keys of the command line and the YAML config file, in a
     * form that can be written to a config file and read back to re-run.
     *
     * @param resolvedModel the model actually used (for a null {@link #model()})
     * @return key to value, in a stable order
     */
    public Map<String, Object> toMap(String resolvedModel) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scheme", scheme.id());
        m.put("model", model != null ? model : resolvedModel);
        m.put("dataset", dataset);
        if (dataDir != null) {
            m.put("data-dir", dataDir.toString());
        }
        m.put("cut", cut);
        m.put("clients", clients);
        m.put("fraction", fraction);
        m.put("rounds", rounds);
        m.put("local-epochs", localEpochs);
        m.put("batch-size", batchSize);
        m.put("optimizer", optimizer.name());
        m.put("lr", optimizer.learningRate());
        m.put("momentum", optimizer.momentum());
        m.put("partition", partition);
        m.put("compress", compress.spec());
        m.put("dp-sgd", dpSgd == null ? "none" : dpSgd.spec());
        m.put("dp-fedavg", dpFedAvg == null ? "none" : dpFedAvg.spec());
        m.put("delta", delta);
        m.put("labels", labels.id());
        m.put("smashed-noise", smashedNoise.spec());
        m.put("seed", seed);
        m.put("limit", limit);
        m.put("threads", threads);
        m.put("strategy", strategy.spec());
        m.put("prox-mu", proxMu);
        if (secureAgg) {
            m.put("secure-agg", true);
            m.put("secure-agg-dropouts", secureAggDropouts);
        }
        if (timed()) {
            m.put("speeds", speeds.spec());
            m.put("batch-seconds", batchSeconds.spec());
            if (link != null) {
                m.put("link", (long) link.bitsPerSecond() + "bit/s");
            }
            if (deadline > 0) {
                m.put("deadline", deadline);
                m.put("stragglers", stragglers.id());
            }
            if (fedBuff != null) {
                m.put("async", fedBuff.spec());
            }
        }
        m.put("aggregator", aggregator.spec());
        if (attack != null) {
            m.put("malicious", malicious);
            m.put("attack", attack.spec());
        }
        if (scaffold) {
            m.put("scaffold", true);
        }
        if (personalHead) {
            m.put("personal-head", true);
        }
        if (personalHead || personalHoldout > 0) {
            m.put("personal-holdout", personalHoldout);
        }
        return m;
    }

    /** Builds a {@link SimulationConfig}; every setting is optional. */
    public static final class Builder {
        private Scheme scheme = Scheme.SFLV1;
        private String model;
        private String dataset = "fashion-mnist";
        private Path dataDir;
        private int cut = 1;
        private int clients = 5;
        private double fraction = 1.0;
        private int rounds = 10;
        private int localEpochs = 1;
        private int batchSize = 64;
        private String optimizer = "sgd";
        private float lr = 0.01f;
        private float momentum = 0.9f;
        private String partition = "iid";
        private Codec compress = Codec.NONE;
        private DpSgdConfig dpSgd;
        private DpFedAvgConfig dpFedAvg;
        private double delta = 1e-5;
        private LabelSharing labels = LabelSharing.SHARED;
        private SmashedNoise smashedNoise = SmashedNoise.NONE;
        private long seed = 1;
        private int limit;
        private int threads = Runtime.getRuntime().availableProcessors();
        private boolean secureAgg;
        private Integer secureAggDropouts;
        private DeviceSpeeds speeds = DeviceSpeeds.UNIFORM;
        private TimeModel.BatchSeconds batchSeconds = TimeModel.BatchSeconds.DEFAULT;
        private LinkRate link;
        private double deadline;
        private Stragglers stragglers = Stragglers.DROP;
        private FedBuffConfig fedBuff;
        private AggregatorSpec aggregator = AggregatorSpec.FEDAVG;
        private int malicious;
        private Attack attack;
        private boolean scaffold;
        private boolean personalHead;
        private Double personalHoldout;
        private Strategy strategy = Strategy.FEDAVG;
        private double proxMu;

        private Builder() {}

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

        /** Sets the model name; null picks the data set's natural model. */
        public Builder optModel(String model) {
            this.model = model;
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

        /** Sets the learning rate, {@code > 0}. */
        public Builder optLearningRate(float lr) {
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

        /** Sets the noise layer at the cut ({@code sl}, {@code sflv1}, {@code sflv2} only). */
        public Builder optSmashedNoise(SmashedNoise smashedNoise) {
            this.smashedNoise = smashedNoise;
            return this;
        }

        /** Sets the partition: {@code iid}, {@code dirichlet:ALPHA} or {@code shards:N}. */
        public Builder optPartition(String partition) {
            this.partition = partition;
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

        /** Sets the number of PyTorch intra-op threads, {@code >= 1}. */
        public Builder optThreads(int threads) {
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

        /** Sets the rule that combines client updates ({@code --aggregator}). */
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
         * Checks every setting and builds the configuration.
         *
         * @return the configuration
         * @throws InvalidInputException naming the first bad setting
         */
        public SimulationConfig build() {
            require(scheme != null, "scheme must be set");
            require(dataset != null && !dataset.isBlank(), "dataset must be set");
            require(clients >= 1, "clients must be at least 1, got " + clients);
            require(fraction > 0 && fraction <= 1, "fraction must be in (0, 1], got " + fraction);
            require(rounds >= 1, "rounds must be at least 1, got " + rounds);
            require(localEpochs >= 1, "local-epochs must be at least 1, got " + localEpochs);
            require(batchSize >= 1, "batch-size must be at least 1, got " + batchSize);
            require(limit >= 0, "limit must be 0 (all samples) or positive, got " + limit);
            require(threads >= 1, "threads must be at least 1, got " + threads);
            require(partition != null && !partition.isBlank(), "partition must be set");
            require(compress != null, "compress must be set");
            require(delta > 0 && delta < 1, "delta must be in (0, 1), got " + delta);
            require(dpFedAvg == null || scheme == Scheme.FL || scheme == Scheme.SFLV1 || scheme == Scheme.SFLV2,
                    "dp-fedavg protects what the fed server averages, so it needs fl, sflv1 or sflv2, not " + scheme.id());
            require(labels != null, "labels must be set");
            require(labels == LabelSharing.SHARED || scheme.isSplit(),
                    "labels private (the U-shaped split) needs a split scheme, sl, sflv1 or sflv2: in "
                            + scheme.id() + " no labels leave a client anyway");
            require(smashedNoise != null, "smashed-noise must be set");
            require(!smashedNoise.enabled() || scheme.isSplit(),
                    "smashed-noise adds noise at the cut, so it applies to sl, sflv1 and sflv2 only: "
                            + scheme.id() + " sends no smashed data");
            require(strategy != null, "strategy must be set");
            require(strategy.plain() || scheme == Scheme.FL || scheme == Scheme.SFLV1 || scheme == Scheme.SFLV2,
                    "--strategy " + strategy.name().id() + " moves the weights the fed server aggregates, so it needs "
                            + "fl, sflv1 or sflv2, not " + scheme.id());
            require(proxMu >= 0 && Double.isFinite(proxMu), "prox-mu must be a finite number >= 0, got " + proxMu);
            require(proxMu == 0 || scheme == Scheme.FL || scheme == Scheme.SFLV1 || scheme == Scheme.SFLV2,
                    "--prox-mu holds each client near the round's global weights, so it needs fl, sflv1 or sflv2, whose "
                            + "fed server averages them, not " + scheme.id());
            checkSecureAgg();
            checkTiming();
            checkRobustness();
            checkScaffold();
            checkPersonalHead();
            return new SimulationConfig(this);
        }

        private void checkTiming() {
            require(speeds != null && batchSeconds != null && stragglers != null, "speeds, batch-seconds and stragglers must be set");
            require(deadline >= 0 && !Double.isInfinite(deadline),
                    "deadline must be a finite number of simulated seconds > 0 (or 0 for none), got " + deadline);
            require(deadline > 0 || stragglers == Stragglers.DROP, "--stragglers goes with --deadline");
            if (deadline > 0) {
                require(scheme == Scheme.FL || scheme == Scheme.SFLV1 || scheme == Scheme.SFLV2,
                        "--deadline needs fl, sflv1 or sflv2, whose clients work in parallel, not " + scheme.id());
                require(!secureAgg, "--deadline cannot go with --secure-agg: dropping stragglers after the key setup "
                        + "is not supported");
            }
            if (fedBuff == null) {
                return;
            }
            require(scheme == Scheme.FL || scheme == Scheme.SFLV1,
                    "--async (FedBuff) supports fl and sflv1, not " + scheme.id());
            require(deadline == 0, "--async cannot go with --deadline: FedBuff has no rounds to end at a deadline");
            require(!secureAgg && dpFedAvg == null, "--async cannot go with --secure-agg or --dp-fedavg, which need "
                    + "a round's updates together");
            require(dpSgd == null, "--async cannot go with --dp-sgd: FedBuff's server steps keep no privacy ledger yet");
            require(fraction == 1.0, "--async replaces --fraction by its concurrency=C; leave --fraction at 1");
            require(fedBuff.concurrency() <= clients, "async concurrency must be at most the " + clients
                    + " clients, got " + fedBuff.concurrency());
            require(!scaffold && !personalHead, "--async cannot go with --scaffold or --personal-head, which keep "
                    + "state on the clients from one synchronous round to the next");
            require(personalHoldout == null || personalHoldout == 0, "--async cannot go with --personal-holdout: "
                    + "FedBuff's server steps do not evaluate the held-out samples");
        }

        private void checkRobustness() {
            require(aggregator != null, "aggregator must be set");
            if (!aggregator.isFedAvg()) {
                String rule = aggregator.spec();
                require(scheme == Scheme.FL || scheme == Scheme.SFLV1 || scheme == Scheme.SFLV2,
                        "--aggregator " + rule + " applies to fl, sflv1 and sflv2, whose fed server aggregates client "
                                + "updates, not to " + scheme.id());
                require(!secureAgg, "--aggregator " + rule + " cannot go with --secure-agg, under which the fed server "
                        + "never sees the individual updates a robust rule compares");
                require(dpFedAvg == null, "--aggregator " + rule + " cannot go with --dp-fedavg, which replaces the "
                        + "fed server's aggregation by its own clipped, noised mean");
                // Under FedBuff a step aggregates the K buffered updates, not a round's participants.
                int m = fedBuff != null ? fedBuff.buffer() : participants(fraction, clients);
                require(m >= aggregator.minimumUpdates(), "--aggregator " + rule + " needs at least "
                        + aggregator.minimumUpdates() + " clients a round, got " + m);
            }
            require(malicious >= 0 && malicious <= clients,
                    "malicious must be in 0 to " + clients + " (the clients), got " + malicious);
            require(malicious == 0 || attack != null, "--malicious " + malicious + " needs an --attack to say what "
                    + "the malicious clients do");
            require(attack == null || scheme != Scheme.CENTRAL,
                    "--attack needs clients to misbehave, and central has none");
        }

        private void checkScaffold() {
            if (!scaffold) {
                return;
            }
            require(scheme == Scheme.FL || scheme == Scheme.SFLV1 || scheme == Scheme.SFLV2,
                    "--scaffold corrects the drift of clients averaged by the fed server, so it applies to fl, sflv1 "
                            + "and sflv2, not to " + scheme.id());
            require(optimizer.equalsIgnoreCase("sgd") && momentum == 0, "--scaffold needs plain SGD (--optimizer sgd "
                    + "--momentum 0): its control variate (x - y_i) / (K lr) is the clients' mean gradient only when a "
                    + "step moves lr times the gradient; with momentum 0.9 it is about ten times too large and training "
                    + "diverges");
            require(!secureAgg, "--scaffold cannot go with --secure-agg, which sums sample-weighted masked vectors, "
                    + "while the server's control variate needs each client's change in the clear");
            require(dpFedAvg == null, "--scaffold cannot go with --dp-fedavg: the control variates would carry each "
                    + "client's unclipped, unnoised update past it");
            require(compress.lossless(), "--scaffold cannot go with the lossy --compress " + compress.spec()
                    + ": the control variates travel in float32 and their changes carry no error feedback");
            require(!personalHead, "--scaffold cannot go with --personal-head: the control variates would cover "
                    + "the head, which never leaves the client");
            require(aggregator == null || aggregator.isFedAvg(), "--scaffold cannot go with --aggregator "
                    + (aggregator == null ? "" : aggregator.spec()) + ": the server's control variate moves by the plain "
                    + "mean of the clients' changes, which one lying client could steer");
            require(attack == null, "--scaffold cannot go with --attack: the attacks poison weights, not the control "
                    + "variate that travels with them");
            require(deadline == 0 || scheme != Scheme.SFLV2, "--scaffold cannot go with --deadline in sflv2, where a "
                    + "late client's control variate would move without the server counting its change");
        }

        private void checkPersonalHead() {
            require(personalHoldout == null || (personalHoldout >= 0 && personalHoldout < 1),
                    "personal-holdout must be in [0, 1), got " + personalHoldout);
            require(personalHoldout == null || personalHoldout == 0 || scheme != Scheme.CENTRAL,
                    "personal-holdout evaluates each client on its own samples, so central, which has no clients, "
                            + "cannot take it");
            if (!personalHead) {
                return;
            }
            require(scheme != Scheme.CENTRAL, "--personal-head keeps each client's last stage on that client, so it "
                    + "needs clients: fl, sl, sflv1 or sflv2, not central");
            require(!scheme.isSplit() || labels == LabelSharing.PRIVATE, "--personal-head in " + scheme.id()
                    + " needs --labels private: with shared labels the last stage lives on the main server");
        }

        private void checkSecureAgg() {
            if (!secureAgg) {
                require(secureAggDropouts == null, "secure-agg-dropouts goes with --secure-agg");
                return;
            }
            require(scheme == Scheme.FL || scheme == Scheme.SFLV1 || scheme == Scheme.SFLV2,
                    "--secure-agg applies to fl, sflv1 and sflv2, whose fed server averages client models, not to "
                            + scheme.id() + (scheme == Scheme.SL ? ", which relays W_C from client to client"
                            : ", which has no clients"));
            require(dpFedAvg == null, "--secure-agg cannot go with --dp-fedavg, which clips each client's update at "
                    + "the fed server, where secure aggregation never lets one be seen");
            require(compress.lossless(), "--secure-agg cannot go with the lossy --compress " + compress.spec()
                    + ": masked inputs are uniform 32-bit integers, which a lossy codec would destroy");
            int m = participants(fraction, clients);
            require(m >= 2, "--secure-agg needs at least 2 clients a round, got " + m);
            require(m <= FixedPoint.MAX_SUMMANDS,
                    "--secure-agg sums at most " + FixedPoint.MAX_SUMMANDS + " clients a round, got " + m);
            int most = (m - 1) / 2;
            require(secureAggDropouts == null || (secureAggDropouts >= 0 && secureAggDropouts <= most),
                    "secure-agg-dropouts must be in 0 to " + most + " for " + m + " clients a round (the threshold "
                            + "m - T must stay a majority), got " + secureAggDropouts);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new InvalidInputException(message);
            }
        }
    }
}
