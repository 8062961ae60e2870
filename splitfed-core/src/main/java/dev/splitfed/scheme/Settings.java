package dev.splitfed.scheme;

import dev.splitfed.InvalidInputException;
import dev.splitfed.aggregate.AggregatorSpec;
import dev.splitfed.aggregate.Strategy;
import dev.splitfed.byzantine.Attack;
import dev.splitfed.compress.Codec;
import dev.splitfed.cost.LinkRate;
import dev.splitfed.data.ImageSize;
import dev.splitfed.data.Partitioner;
import dev.splitfed.hetero.DeviceSpeeds;
import dev.splitfed.hetero.FedBuffConfig;
import dev.splitfed.hetero.Stragglers;
import dev.splitfed.hetero.TimeModel;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.privacy.DpFedAvgConfig;
import dev.splitfed.privacy.DpSgdConfig;
import dev.splitfed.privacy.SmashedNoise;
import dev.splitfed.scheme.Setting.Group;
import dev.splitfed.scheme.Setting.Kind;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The settings schema: every setting of a run, once, in the order a run records them. See
 * {@link Setting} for what each defines; {@link SimulationConfig#fromSettings} builds a
 * configuration from settings given as text and {@link SimulationConfig#toSettings} gives them back.
 */
public final class Settings {

    private Settings() {}

    /** The scheme. */
    public static final Setting<Scheme> SCHEME = Setting.<Scheme>define("scheme", Group.FEDERATION, Kind.TEXT)
            .label("NAME").describe("How the network is trained: central, fl, sl, sflv1 or sflv2.", "sl")
            .byDefault(Scheme.SFLV1).parse(Scheme::parse).record(Scheme::id)
            .bind(SimulationConfig.Builder::optScheme, SimulationConfig::scheme).build();

    /** The model, by name. */
    public static final Setting<String> MODEL = Setting.<String>define("model", Group.MODEL, Kind.TEXT)
            .label("NAME").describe("The network: lenet5, mlp, next-word, resnet18, your own PyTorch model as "
                    + "torchscript:DIR (stage0.pt, stage1.pt, ... written by tools/export_torchscript.py), or a name a "
                    + "provider on the classpath adds.", "torchscript:model")
            .defaultText("the data set's own: lenet5 for images, mlp for breast-cancer, next-word for fortunes")
            .parse(Function.identity()).bind(SimulationConfig.Builder::optModel, SimulationConfig::model).build();

    /** The data set, by name. */
    public static final Setting<String> DATASET = Setting.<String>define("dataset", Group.DATA, Kind.TEXT)
            .label("NAME").describe("The data set: fashion-mnist, fashion-mnist-sample, breast-cancer, fortunes "
                    + "(next-word prediction), your own csv:FILE (a table), images:DIR (PNG or JPEG, a folder per "
                    + "class) or leaf:DIR (LEAF's JSON), or a name a provider on the classpath adds.", "csv:patients.csv")
            .byDefault("fashion-mnist").parse(Function.identity())
            .bind(SimulationConfig.Builder::optDataset, SimulationConfig::dataset).build();

    /** The directory the data set is read from. */
    public static final Setting<Path> DATA_DIR = Setting.<Path>define("data-dir", Group.DATA, Kind.TEXT)
            .label("DIR").describe("Where the data set's files are: the Fashion-MNIST IDX files, or for fortunes the "
                    + "fortune files, one per owner.", "~/data/fmnist")
            .defaultText("$SPLITFED_DATA, /usr/share/datasets/fashion-mnist, the user cache, else the bundled sample; "
                    + "for fortunes /usr/share/games/fortunes")
            .parse(Path::of).record(Path::toString)
            .bind(SimulationConfig.Builder::optDataDir, SimulationConfig::dataDir).build();

    /** The cut. */
    public static final Setting<Integer> CUT = Setting.<Integer>define("cut", Group.MODEL, Kind.INTEGER)
            .label("N").describe("Cut after stage N of the model (lenet5: 1-4, mlp: 1-2, next-word: 1 after the "
                    + "embedding, 2 after the LSTM, resnet18: 1-5 after stem, layer1 .. layer4, torchscript: 1 to its "
                    + "stages less one).", "2")
            .byDefault(1).parse(Integer::valueOf).bind(SimulationConfig.Builder::optCut, SimulationConfig::cut).build();

    /** The number of clients. */
    public static final Setting<Integer> CLIENTS = Setting.<Integer>define("clients", Group.FEDERATION, Kind.INTEGER)
            .label("K").describe("The number of clients.", "100")
            .byDefault(5).parse(Integer::valueOf)
            .bind(SimulationConfig.Builder::optClients, SimulationConfig::clients).build();

    /** The fraction of clients selected each round. */
    public static final Setting<Double> FRACTION = Setting.<Double>define("fraction", Group.FEDERATION, Kind.NUMBER)
            .label("F").describe("The fraction of clients selected each round, in (0, 1].", "0.1")
            .byDefault(1.0).defaultText("1").parse(Double::valueOf)
            .bind(SimulationConfig.Builder::optFraction, SimulationConfig::fraction).build();

    /** The number of rounds. */
    public static final Setting<Integer> ROUNDS = Setting.<Integer>define("rounds", Group.FEDERATION, Kind.INTEGER)
            .label("R").describe("The number of rounds (with async, of server steps).", "50")
            .byDefault(10).parse(Integer::valueOf)
            .bind(SimulationConfig.Builder::optRounds, SimulationConfig::rounds).build();

    /** The local epochs per round. */
    public static final Setting<Integer> LOCAL_EPOCHS =
            Setting.<Integer>define("local-epochs", Group.TRAINING, Kind.INTEGER)
                    .label("E").describe("The passes over its data each client makes per round.", "5")
                    .byDefault(1).parse(Integer::valueOf)
                    .bind(SimulationConfig.Builder::optLocalEpochs, SimulationConfig::localEpochs).build();

    /** The batch size. */
    public static final Setting<Integer> BATCH_SIZE =
            Setting.<Integer>define("batch-size", Group.TRAINING, Kind.INTEGER)
                    .label("B").describe("Samples per batch.", "32")
                    .byDefault(64).parse(Integer::valueOf)
                    .bind(SimulationConfig.Builder::optBatchSize, SimulationConfig::batchSize).build();

    /** The optimizer. */
    public static final Setting<String> OPTIMIZER = Setting.<String>define("optimizer", Group.TRAINING, Kind.TEXT)
            .label("NAME").describe("The clients' optimizer: sgd or adam.", "adam")
            .byDefault("sgd").parse(Function.identity())
            .bind(SimulationConfig.Builder::optOptimizer, c -> c.optimizer().name()).build();

    /** The learning rate. */
    public static final Setting<Float> LR = Setting.<Float>define("lr", Group.TRAINING, Kind.NUMBER)
            .label("RATE").describe("The learning rate.", "0.001")
            .defaultText("0.5 for next-word with sgd, else 0.01").parse(Float::valueOf)
            .bind(SimulationConfig.Builder::optLearningRate, c -> c.optimizer().learningRate()).build();

    /** The SGD momentum. */
    public static final Setting<Float> MOMENTUM = Setting.<Float>define("momentum", Group.TRAINING, Kind.NUMBER)
            .label("M").describe("The SGD momentum, in [0, 1).", "0")
            .byDefault(0.9f).parse(Float::valueOf)
            .bind(SimulationConfig.Builder::optMomentum, c -> c.optimizer().momentum()).build();

    /** How the training set is divided among the clients. */
    public static final Setting<Partitioner> PARTITION =
            Setting.<Partitioner>define("partition", Group.DATA, Kind.TEXT)
                    .label("SPEC").describe("How the training set is divided among the clients: iid, dirichlet:ALPHA, "
                            + "shards:N or natural (one client per owner, e.g. per fortune file).", "dirichlet:0.1")
                    .defaultText("the data set's own: natural for fortunes, else iid")
                    .parse(Partitioner::parse).record(Partitioner::spec)
                    .bind(SimulationConfig.Builder::optPartitioner, SimulationConfig::partitioner).build();

    /** The codec on the wire. */
    public static final Setting<Codec> COMPRESS = Setting.<Codec>define("compress", Group.COMPRESSION, Kind.TEXT)
            .label("CODEC").describe("How smashed data, cut-layer gradients and client updates are encoded: none, "
                    + "fp16, int8 or topk:RATIO (updates with error feedback).", "int8")
            .byDefault(Codec.NONE).parse(Codec::parse).record(Codec::spec)
            .bind(SimulationConfig.Builder::optCompress, SimulationConfig::compress).build();

    /** Sample-level DP-SGD. */
    public static final Setting<DpSgdConfig> DP_SGD = Setting.<DpSgdConfig>define("dp-sgd", Group.PRIVACY, Kind.TEXT)
            .label("SPEC").describe("Sample-level DP-SGD on the clients (Abadi et al. 2016): "
                    + "noise=SIGMA,clip=C[,sampling=poisson|shuffle]; none for off.", "noise=1.1,clip=1")
            .defaultText("none").parse(orNone(DpSgdConfig::parse)).record(DpSgdConfig::spec).recordNone()
            .bind(SimulationConfig.Builder::optDpSgd, SimulationConfig::dpSgd).build();

    /** User-level DP-FedAvg. */
    public static final Setting<DpFedAvgConfig> DP_FEDAVG =
            Setting.<DpFedAvgConfig>define("dp-fedavg", Group.PRIVACY, Kind.TEXT)
                    .label("SPEC").describe("User-level DP-FedAvg at the fed server (McMahan et al. 2018): "
                            + "noise=Z,clip=S, adaptive with quantile=GAMMA[,clip-lr=ETA][,count-noise=SIGMA_B]; "
                            + "none for off.", "noise=1,clip=0.5")
                    .defaultText("none").parse(orNone(DpFedAvgConfig::parse)).record(DpFedAvgConfig::spec)
                    .recordNone()
                    .bind(SimulationConfig.Builder::optDpFedAvg, SimulationConfig::dpFedAvg).build();

    /** The delta at which epsilon is reported. */
    public static final Setting<Double> DELTA = Setting.<Double>define("delta", Group.PRIVACY, Kind.NUMBER)
            .label("D").describe("The delta at which epsilon is reported, in (0, 1); keep it below 1 / samples.",
                    "1e-6")
            .byDefault(1e-5).defaultText("1e-5").parse(Double::valueOf)
            .bind(SimulationConfig.Builder::optDelta, SimulationConfig::delta).build();

    /** Whether labels go to the main server. */
    public static final Setting<LabelSharing> LABELS =
            Setting.<LabelSharing>define("labels", Group.PRIVACY, Kind.TEXT)
                    .label("MODE").describe("shared (clients send labels to the main server) or private (the U-shaped "
                            + "split: clients keep the last layer, the loss and the labels; sl, sflv1 and sflv2).",
                            "private")
                    .byDefault(LabelSharing.SHARED).parse(LabelSharing::parse).record(LabelSharing::id)
                    .bind(SimulationConfig.Builder::optLabels, SimulationConfig::labels).build();

    /** The noise layer at the cut. */
    public static final Setting<SmashedNoise> SMASHED_NOISE =
            Setting.<SmashedNoise>define("smashed-noise", Group.PRIVACY, Kind.TEXT)
                    .label("NOISE").describe("Noise layer at the cut of sl, sflv1 and sflv2 (PixelDP), in training and "
                            + "evaluation: none, laplace:B (activations clipped to L1 <= 1, plus Laplace(0, B) per "
                            + "value) or gaussian:SIGMA (clipped to L2 <= 1, plus N(0, SIGMA^2)).", "laplace:0.001")
                    .byDefault(SmashedNoise.NONE).parse(SmashedNoise::parse).record(SmashedNoise::spec)
                    .bind(SimulationConfig.Builder::optSmashedNoise, SimulationConfig::smashedNoise).build();

    /** The run seed. */
    public static final Setting<Long> SEED = Setting.<Long>define("seed", Group.TRAINING, Kind.INTEGER)
            .label("S").describe("Seeds the partition, the initial weights, the selection and the batch order.", "7")
            .byDefault(1L).parse(Long::valueOf).bind(SimulationConfig.Builder::optSeed, SimulationConfig::seed).build();

    /** How many training samples are used. */
    public static final Setting<Integer> LIMIT = Setting.<Integer>define("limit", Group.DATA, Kind.INTEGER)
            .label("N").describe("Use only the first N training samples; 0 for all.", "6000")
            .byDefault(0).parse(Integer::valueOf)
            .bind(SimulationConfig.Builder::optLimit, SimulationConfig::limit).build();

    /** The table column that holds the class. */
    public static final Setting<String> LABEL = Setting.<String>define("label", Group.DATA, Kind.TEXT)
            .label("COLUMN").describe("For a csv data set, the column that holds the class.", "diagnosis")
            .defaultText("the last column").parse(Settings::parseColumn)
            .bind(SimulationConfig.Builder::optLabel, SimulationConfig::label).build();

    /** The table column that names each row's owner. */
    public static final Setting<String> OWNER = Setting.<String>define("owner", Group.DATA, Kind.TEXT)
            .label("COLUMN").describe("For a csv data set, the column naming each row's owner (a hospital's site): "
                    + "with {partition} natural, one client per owner; the column is not a feature.", "site")
            .parse(Settings::parseColumn).bind(SimulationConfig.Builder::optOwner, SimulationConfig::owner).build();

    /** The file that holds the test split. */
    public static final Setting<Path> TEST_FILE = Setting.<Path>define("test-file", Group.DATA, Kind.TEXT)
            .label("FILE").describe("For a csv data set, the file holding the test rows, with the same columns.",
                    "test.csv")
            .defaultText("a seeded stratified 20% of the training file").parse(Path::of).record(Path::toString)
            .bind(SimulationConfig.Builder::optTestFile, SimulationConfig::testFile).build();

    /** The size images are resized to. */
    public static final Setting<ImageSize> IMAGE_SIZE =
            Setting.<ImageSize>define("image-size", Group.DATA, Kind.TEXT)
                    .label("HxW").describe("For images and leaf data sets, the height and width of every image: "
                            + "images are resized to it, LEAF pixel vectors reshaped.", "32x32")
                    .defaultText("images: the first image's size; leaf: square").parse(ImageSize::parse).record(ImageSize::toString)
                    .bind(SimulationConfig.Builder::optImageSize, SimulationConfig::imageSize).build();

    /** The channels per image. */
    public static final Setting<Integer> CHANNELS = Setting.<Integer>define("channels", Group.DATA, Kind.INTEGER)
            .label("N").describe("For an images data set, 1 (grey) or 3 (colour) channels per image.", "3")
            .defaultText("the first image's").parse(Integer::valueOf)
            .bind(SimulationConfig.Builder::optChannels, SimulationConfig::channelsGiven).build();

    /** PyTorch's threads. */
    public static final Setting<Integer> THREADS = Setting.<Integer>define("threads", Group.TRAINING, Kind.INTEGER)
            .label("T").describe("PyTorch's intra-op threads.", "1")
            .defaultText("the number of cores").parse(Integer::valueOf)
            .bind(SimulationConfig.Builder::optThreads, SimulationConfig::threads).build();

    /** The server optimizer. */
    public static final Setting<Strategy> STRATEGY = Setting.<Strategy>define("strategy", Group.FEDERATION, Kind.TEXT)
            .label("SPEC").describe("Server optimizer of the fed server and of sflv1's main server (Reddi et al. 2021; "
                    + "fl, sflv1, sflv2): fedavg, fedavgm[:lr=ETA,momentum=BETA], "
                    + "fedadam|fedyogi[:lr=ETA,b1=B1,b2=B2,tau=TAU] or fedadagrad[:lr=ETA,b1=B1,tau=TAU].",
                    "fedadam:lr=0.01")
            .byDefault(Strategy.FEDAVG).parse(Strategy::parse).record(Strategy::spec)
            .bind(SimulationConfig.Builder::optStrategy, SimulationConfig::strategy).build();

    /** FedProx's mu. */
    public static final Setting<Double> PROX_MU = Setting.<Double>define("prox-mu", Group.TRAINING, Kind.NUMBER)
            .label("MU").describe("FedProx (Li et al. 2020): each client adds MU/2 ||w - w_start||^2 to its local loss "
                    + "(and sflv1's main server to each copy of W_S); 0 for off.", "0.01")
            .byDefault(0.0).defaultText("0").parse(Double::valueOf)
            .bind(SimulationConfig.Builder::optProxMu, SimulationConfig::proxMu).build();

    /** Secure aggregation. */
    public static final Setting<Boolean> SECURE_AGG = Setting.<Boolean>define("secure-agg", Group.PRIVACY, Kind.BOOLEAN)
            .label("BOOL").describe("Secure aggregation of the client models (Bonawitz et al. 2017; fl, sflv1, sflv2): "
                    + "the fed server gets only masked inputs and learns nothing but their FedAvg.", "true")
            .byDefault(false).parse(Settings::parseBoolean)
            .bind(SimulationConfig.Builder::optSecureAgg, SimulationConfig::secureAgg)
            .recordedWhen(SimulationConfig::secureAgg).build();

    /** Secure aggregation's tolerated dropouts. */
    public static final Setting<Integer> SECURE_AGG_DROPOUTS =
            Setting.<Integer>define("secure-agg-dropouts", Group.PRIVACY, Kind.INTEGER)
                    .label("T").describe("With {secure-agg}: how many of a round's m clients may drop out after the key "
                            + "setup, 0 to floor((m - 1) / 2).", "1")
                    .defaultText("floor((m - 1) / 2), the largest").parse(Integer::valueOf)
                    .bind(SimulationConfig.Builder::optSecureAggDropouts, SimulationConfig::secureAggDropouts)
                    .recordedWhen(SimulationConfig::secureAgg).build();

    /** Simulated device speeds. */
    public static final Setting<DeviceSpeeds> SPEEDS =
            Setting.<DeviceSpeeds>define("speeds", Group.HETEROGENEITY, Kind.TEXT)
                    .label("DIST").describe("Simulated device speeds: uniform, or lognormal:SIGMA (client k works s_k "
                            + "times slower than a reference device, s_k ~ LogNormal(0, SIGMA), drawn once from the "
                            + "seed).", "lognormal:1")
                    .byDefault(DeviceSpeeds.UNIFORM).parse(DeviceSpeeds::parse).record(DeviceSpeeds::spec)
                    .bind(SimulationConfig.Builder::optSpeeds, SimulationConfig::speeds)
                    .recordedWhen(SimulationConfig::timed).build();

    /** Simulated seconds of a batch. */
    public static final Setting<TimeModel.BatchSeconds> BATCH_SECONDS =
            Setting.<TimeModel.BatchSeconds>define("batch-seconds", Group.HETEROGENEITY, Kind.TEXT)
                    .label("C[,M]").describe("Simulated seconds one batch of the client-side and of the server-side "
                            + "layers takes on a reference device (fl clients compute both).", "0.01,0.002")
                    .byDefault(TimeModel.BatchSeconds.DEFAULT).defaultText("0.003,0.003")
                    .parse(TimeModel.BatchSeconds::parse).record(TimeModel.BatchSeconds::spec)
                    .bind(SimulationConfig.Builder::optBatchSeconds, SimulationConfig::batchSeconds)
                    .recordedWhen(SimulationConfig::timed).build();

    /** The clients' link rate. */
    public static final Setting<LinkRate> LINK = Setting.<LinkRate>define("link", Group.HETEROGENEITY, Kind.TEXT)
            .label("RATE").describe("The clients' link rate for the simulated clock, or none for free communication.",
                    "100Mbit/s")
            .defaultText("none").parse(orNone(LinkRate::parse)).record(l -> new BigDecimal(l.bitsPerSecond()).stripTrailingZeros().toPlainString() + "bit/s")
            .bind(SimulationConfig.Builder::optLink, SimulationConfig::link)
            .recordedWhen(SimulationConfig::timed).build();

    /** The round deadline. */
    public static final Setting<Double> DEADLINE = Setting.<Double>define("deadline", Group.HETEROGENEITY, Kind.NUMBER)
            .label("SECONDS").describe("Deadline of a synchronous round in simulated seconds (fl, sflv1, sflv2); "
                    + "0 for none.", "2.5")
            .byDefault(0.0).defaultText("0").parse(Double::valueOf)
            .bind(SimulationConfig.Builder::optDeadline, SimulationConfig::deadline)
            .recordedWhen(c -> c.timed() && c.deadline() > 0).build();

    /** What happens to stragglers. */
    public static final Setting<Stragglers> STRAGGLERS =
            Setting.<Stragglers>define("stragglers", Group.HETEROGENEITY, Kind.TEXT)
                    .label("POLICY").describe("With {deadline}: drop (a late client's work is discarded) or partial (it "
                            + "hands in the batches it trained before the deadline).", "partial")
                    .byDefault(Stragglers.DROP).parse(Stragglers::parse).record(Stragglers::id)
                    .bind(SimulationConfig.Builder::optStragglers, SimulationConfig::stragglers)
                    .recordedWhen(c -> c.timed() && c.deadline() > 0).build();

    /** FedBuff. */
    public static final Setting<FedBuffConfig> ASYNC =
            Setting.<FedBuffConfig>define("async", Group.HETEROGENEITY, Kind.TEXT)
                    .label("SPEC").describe("Asynchronous buffered aggregation, FedBuff (Nguyen et al. 2022; fl, "
                            + "sflv1): buffer=K[,concurrency=C][,lr=ETA]; {rounds} then counts server steps; none for "
                            + "synchronous rounds.", "buffer=3")
                    .defaultText("none").parse(orNone(FedBuffConfig::parse)).record(FedBuffConfig::spec)
                    .bind(SimulationConfig.Builder::optFedBuff, SimulationConfig::fedBuff)
                    .recordedWhen(SimulationConfig::timed).build();

    /** The aggregation rule. */
    public static final Setting<AggregatorSpec> AGGREGATOR =
            Setting.<AggregatorSpec>define("aggregator", Group.ROBUSTNESS, Kind.TEXT)
                    .label("RULE").describe("How the fed server (and sflv1's main server) combines client updates: "
                            + "fedavg, median, trimmed-mean:BETA, krum[:f=F], multi-krum:M[,f=F], bulyan[:f=F] or "
                            + "norm-bound:C (without f, the most Byzantine clients the round tolerates), or a rule a "
                            + "provider on the classpath adds.",
                            "multi-krum:5,f=2")
                    .byDefault(AggregatorSpec.FEDAVG).parse(AggregatorSpec::parse).record(AggregatorSpec::spec)
                    .bind(SimulationConfig.Builder::optAggregator, SimulationConfig::aggregator).build();

    /** How many clients misbehave. */
    public static final Setting<Integer> MALICIOUS =
            Setting.<Integer>define("malicious", Group.ROBUSTNESS, Kind.INTEGER)
                    .label("F").describe("How many clients misbehave, drawn from the seed; needs an {attack}.", "2")
                    .byDefault(0).parse(Integer::valueOf)
                    .bind(SimulationConfig.Builder::optMalicious, SimulationConfig::malicious)
                    .recordedWhen(c -> c.attack() != null).build();

    /** What malicious clients do. */
    public static final Setting<Attack> ATTACK = Setting.<Attack>define("attack", Group.ROBUSTNESS, Kind.TEXT)
            .label("ATTACK").describe("What malicious clients do: label-flip, sign-flip[:S], gaussian[:SIGMA], "
                    + "scale:X, or none.", "sign-flip:10")
            .defaultText("none").parse(orNone(Attack::parse)).record(Attack::spec)
            .bind(SimulationConfig.Builder::optAttack, SimulationConfig::attack).build();

    /** SCAFFOLD. */
    public static final Setting<Boolean> SCAFFOLD = Setting.<Boolean>define("scaffold", Group.FEDERATION, Kind.BOOLEAN)
            .label("BOOL").describe("SCAFFOLD control variates (Karimireddy et al. 2020, option II; fl, sflv1, sflv2): "
                    + "every local step uses g - c_i + c; c comes down and the change of c_i goes up with the "
                    + "weights.", "true")
            .byDefault(false).parse(Settings::parseBoolean)
            .bind(SimulationConfig.Builder::optScaffold, SimulationConfig::scaffold)
            .recordedWhen(SimulationConfig::scaffold).build();

    /** FedPer. */
    public static final Setting<Boolean> PERSONAL_HEAD =
            Setting.<Boolean>define("personal-head", Group.FEDERATION, Kind.BOOLEAN)
                    .label("BOOL").describe("FedPer (Arivazhagan et al. 2019): every client keeps the model's last "
                            + "stage to itself and the fed server aggregates the rest; split schemes need {labels} "
                            + "private.", "true")
                    .byDefault(false).parse(Settings::parseBoolean)
                    .bind(SimulationConfig.Builder::optPersonalHead, SimulationConfig::personalHead)
                    .recordedWhen(SimulationConfig::personalHead).build();

    /** The share of samples each client holds out. */
    public static final Setting<Double> PERSONAL_HOLDOUT =
            Setting.<Double>define("personal-holdout", Group.FEDERATION, Kind.NUMBER)
                    .label("F").describe("Share of each client's samples held out (seeded) to evaluate the model it "
                            + "would use, reported as personal_accuracy, in [0, 1).", "0.2")
                    .defaultText("0.2 with {personal-head}, else 0").parse(Double::valueOf)
                    .bind(SimulationConfig.Builder::optPersonalHoldout, SimulationConfig::personalHoldout)
                    .recordedWhen(c -> c.personalHead() || c.personalHoldout() > 0).build();

    /** FedBN: batch normalisation kept per client. */
    public static final Setting<Boolean> LOCAL_BN =
            Setting.<Boolean>define("local-bn", Group.FEDERATION, Kind.BOOLEAN)
                    .label("BOOL").describe("FedBN (Li et al. 2021): every client keeps the batch-normalisation layers "
                            + "of its part of the model (scale, shift and running statistics) to itself; the fed "
                            + "server averages the rest.", "true")
                    .byDefault(false).parse(Settings::parseBoolean)
                    .bind(SimulationConfig.Builder::optLocalBn, SimulationConfig::localBn)
                    .recordedWhen(SimulationConfig::localBn).build();

    /** Every setting, in the order a run records them. */
    public static final List<Setting<?>> ALL = List.of(
            SCHEME, MODEL, DATASET, DATA_DIR, CUT, CLIENTS, FRACTION, ROUNDS, LOCAL_EPOCHS, BATCH_SIZE, OPTIMIZER, LR,
            MOMENTUM, PARTITION, COMPRESS, DP_SGD, DP_FEDAVG, DELTA, LABELS, SMASHED_NOISE, SEED, LIMIT, LABEL, OWNER,
            TEST_FILE, IMAGE_SIZE, CHANNELS, THREADS, STRATEGY, PROX_MU, SECURE_AGG, SECURE_AGG_DROPOUTS, SPEEDS,
            BATCH_SECONDS, LINK, DEADLINE, STRAGGLERS, ASYNC, AGGREGATOR, MALICIOUS, ATTACK, SCAFFOLD, PERSONAL_HEAD,
            PERSONAL_HOLDOUT, LOCAL_BN);

    /**
     * Returns the setting with a key.
     *
     * @param key e.g. {@code local-epochs}
     * @return the setting, or empty if no setting has that key
     */
    public static Optional<Setting<?>> find(String key) {
        return ALL.stream().filter(s -> s.key().equals(key)).<Setting<?>>map(s -> s).findFirst();
    }

    /**
     * Returns the setting with a key, refusing an unknown one with the list of known keys.
     *
     * @param key e.g. {@code local-epochs}
     * @return the setting
     * @throws InvalidInputException if no setting has that key
     */
    public static Setting<?> get(String key) {
        return find(key).orElseThrow(() -> new InvalidInputException(
                "unknown setting '" + key + "'; known settings: " + String.join(", ", keys())));
    }

    /** Returns every key, sorted. */
    public static List<String> keys() {
        TreeSet<String> keys = new TreeSet<>();
        ALL.forEach(s -> keys.add(s.key()));
        return List.copyOf(keys);
    }

    /**
     * Returns the settings of each group, groups in order, settings in schema order.
     *
     * @return group to settings
     */
    public static Map<Group, List<Setting<?>>> byGroup() {
        Map<Group, List<Setting<?>>> out = new LinkedHashMap<>();
        for (Group g : Group.values()) {
            List<Setting<?>> members = new ArrayList<>();
            ALL.stream().filter(s -> s.group() == g).forEach(members::add);
            if (!members.isEmpty()) {
                out.put(g, List.copyOf(members));
            }
        }
        return out;
    }

    /**
     * Returns the option reference of the docs: for each group a Markdown table of every setting's
     * option, value, default and description with an example.
     *
     * @return Markdown text
     */
    public static String markdownTables() {
        StringBuilder md = new StringBuilder();
        byGroup().forEach((group, settings) -> {
            md.append("### ").append(group.title()).append("\n\n");
            md.append("| option | default | what it sets |\n| --- | --- | --- |\n");
            for (Setting<?> s : settings) {
                String option = s.isSwitch() ? "`--" + s.key() + "`" : "`--" + s.key() + " " + s.label() + "`";
                String example = "--" + s.key() + (s.isSwitch() ? "" : " " + s.example());
                md.append("| ").append(option).append(" | ")
                        .append(s.isSwitch() || s.defaultText() == null ? "off" : escape(SettingReferences.asFlags(s.defaultText())))
                        .append(" | ").append(escape(s.description(k -> "--" + k))).append(" Example: `").append(escape(example)).append("` |\n");
            }
            md.append('\n');
        });
        return md.toString();
    }

    private static String escape(String cell) {
        return cell.replace("|", "\\|");
    }

    private static <T> Function<String, T> orNone(Function<String, T> parser) {
        return text -> text.equalsIgnoreCase("none") ? null : parser.apply(text);
    }

    private static String parseColumn(String text) {
        if (text.isBlank()) {
            throw new InvalidInputException("a column name must not be empty");
        }
        return text;
    }

    private static Boolean parseBoolean(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new NumberFormatException(text);
        };
    }
}
