package dev.splitfed.cli;

import dev.splitfed.aggregate.AggregatorSpec;
import dev.splitfed.byzantine.Attack;
import dev.splitfed.aggregate.Strategy;
import dev.splitfed.compress.Codec;
import dev.splitfed.cost.LinkRate;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.hetero.DeviceSpeeds;
import dev.splitfed.hetero.FedBuffConfig;
import dev.splitfed.hetero.Stragglers;
import dev.splitfed.hetero.TimeModel;
import dev.splitfed.privacy.DpFedAvgConfig;
import dev.splitfed.privacy.DpSgdConfig;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.privacy.SmashedNoise;
import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.SimulationConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How a run trains: shared by simulate and compare. */
final class TrainingOptions {

    @Mixin
    SetupOptions setup;

    @Option(names = "--fraction", defaultValue = "1.0", paramLabel = "F",
            description = "Fraction of clients selected each round, in (0, 1]. Example: --fraction 0.1")
    double fraction;

    @Option(names = "--rounds", defaultValue = "10", paramLabel = "R",
            description = "Number of rounds. Example: --rounds 50")
    int rounds;

    @Option(names = "--batch-size", defaultValue = "64", paramLabel = "B",
            description = "Samples per batch. Example: --batch-size 32")
    int batchSize;

    @Option(names = "--optimizer", defaultValue = "sgd", paramLabel = "NAME",
            description = "sgd or adam. Example: --optimizer adam")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Learning rate (default: 0.5 for next-word with sgd, else 0.01). Example: --lr 0.001")
    Float lr;

    @Option(names = "--momentum", defaultValue = "0.9", paramLabel = "M",
            description = "SGD momentum in [0, 1). Example: --momentum 0")
    float momentum;

    @Option(names = "--compress", defaultValue = "none", paramLabel = "CODEC",
            description = "How smashed data, cut-layer gradients and client updates are encoded: none, fp16, int8 "
                    + "or topk:RATIO (updates with error feedback). Example: --compress int8")
    String compress;

    @Option(names = "--dp-sgd", defaultValue = "none", paramLabel = "SPEC",
            description = "Sample-level DP-SGD on the clients (Abadi et al. 2016): noise=SIGMA,clip=C[,sampling=poisson|shuffle]; "
                    + "none for off. Example: --dp-sgd noise=1.1,clip=1")
    String dpSgd;

    @Option(names = "--dp-fedavg", defaultValue = "none", paramLabel = "SPEC",
            description = "User-level DP-FedAvg at the fed server (McMahan et al. 2018): noise=Z,clip=S, adaptive with "
                    + "quantile=GAMMA[,clip-lr=ETA][,count-noise=SIGMA_B]; none for off. Example: --dp-fedavg noise=1,clip=0.5")
    String dpFedAvg;

    @Option(names = "--delta", defaultValue = "1e-5", paramLabel = "D",
            description = "The delta at which epsilon is reported; keep it below 1 / samples. Example: --delta 1e-6")
    double delta;

    @Option(names = "--labels", defaultValue = "shared", paramLabel = "MODE",
            description = "shared (clients send labels to the main server) or private (the U-shaped split: clients "
                    + "keep the last layer, the loss and the labels; sl, sflv1 and sflv2). Example: --labels private")
    String labels;

    @Option(names = "--smashed-noise", defaultValue = "none", paramLabel = "NOISE",
            description = "Noise layer at the cut of sl, sflv1, sflv2 (PixelDP): each sample's activations clipped to "
                    + "L1 <= 1 plus Laplace(0, B) per value, or to L2 <= 1 plus N(0, SIGMA^2), in training and "
                    + "evaluation: none, laplace:B or gaussian:SIGMA. Example: --smashed-noise laplace:0.001")
    String smashedNoise;

    // arity 0..1: a flag on the command line, "secure-agg: true" in a config file or a server's settings
    @Option(names = "--secure-agg", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Secure aggregation of the client models (Bonawitz et al. 2017; fl, sflv1, sflv2): the fed "
                    + "server gets only masked inputs and learns nothing but their FedAvg. Example: --secure-agg")
    boolean secureAgg;

    @Option(names = "--secure-agg-dropouts", paramLabel = "T",
            description = "With --secure-agg: how many of a round's m clients may drop out after the key setup, "
                    + "0 to floor((m - 1) / 2) (default: the largest). Example: --secure-agg-dropouts 1")
    Integer secureAggDropouts;

    @Option(names = "--speeds", defaultValue = "uniform", paramLabel = "DIST",
            description = "Simulated device speeds: uniform, or lognormal:SIGMA (client k works s_k times slower than a "
                    + "reference device, s_k ~ LogNormal(0, SIGMA), drawn once from the seed). Example: --speeds lognormal:1")
    String speeds;

    @Option(names = "--batch-seconds", defaultValue = "0.003,0.003", paramLabel = "C[,M]",
            description = "Simulated seconds one batch of the client-side and of the server-side layers takes on a "
                    + "reference device (fl clients compute both). Example: --batch-seconds 0.01,0.002")
    String batchSeconds;

    @Option(names = "--link", defaultValue = "none", paramLabel = "RATE",
            description = "The clients' link rate for the simulated clock, or none for free communication. "
                    + "Example: --link 100Mbit/s")
    String link;

    @Option(names = "--deadline", defaultValue = "0", paramLabel = "SECONDS",
            description = "Deadline of a synchronous round in simulated seconds (fl, sflv1, sflv2); 0 for none. "
                    + "Example: --deadline 2.5")
    double deadline;

    @Option(names = "--stragglers", defaultValue = "drop", paramLabel = "POLICY",
            description = "With --deadline: drop (a late client's work is discarded) or partial (it hands in the "
                    + "batches it trained before the deadline). Example: --stragglers partial")
    String stragglers;

    @Option(names = "--async", defaultValue = "none", paramLabel = "SPEC",
            description = "Asynchronous buffered aggregation, FedBuff (Nguyen et al. 2022; fl, sflv1): "
                    + "buffer=K[,concurrency=C][,lr=ETA]; --rounds counts server steps; none for synchronous "
                    + "rounds. Example: --async buffer=3")
    String async;

    @Option(names = "--aggregator", defaultValue = "fedavg", paramLabel = "RULE",
            description = "How the fed server (and sflv1's main server) combines client updates: fedavg, median, "
                    + "trimmed-mean:BETA, krum[:f=F], multi-krum:M[,f=F], bulyan[:f=F] or norm-bound:C; without f, "
                    + "the most Byzantine clients the round tolerates. Example: --aggregator multi-krum:5,f=2")
    String aggregator;

    @Option(names = "--malicious", defaultValue = "0", paramLabel = "F",
            description = "How many clients misbehave, drawn from the seed; needs --attack. Example: --malicious 2")
    int malicious;

    @Option(names = "--attack", defaultValue = "none", paramLabel = "ATTACK",
            description = "What malicious clients do: label-flip, sign-flip[:S], gaussian[:SIGMA], scale:X, or none. "
                    + "Example: --attack sign-flip:10")
    String attack;

    @Option(names = "--scaffold", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "SCAFFOLD control variates (Karimireddy et al. 2020, option II; fl, sflv1, sflv2): every local "
                    + "step uses g - c_i + c; c comes down and the change of c_i goes up with the weights. "
                    + "Example: --scaffold")
    boolean scaffold;

    @Option(names = "--personal-head", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "FedPer (Arivazhagan et al. 2019): every client keeps the model's last stage to itself and "
                    + "the fed server aggregates the rest; split schemes need --labels private. Example: --personal-head")
    boolean personalHead;

    @Option(names = "--personal-holdout", paramLabel = "F",
            description = "Share of each client's samples held out (seeded) to evaluate the model it would use, "
                    + "reported as personal_accuracy, in [0, 1) (default: 0.2 with --personal-head, else 0). "
                    + "Example: --personal-holdout 0.2")
    Double personalHoldout;

    @Option(names = "--strategy", defaultValue = "fedavg", paramLabel = "SPEC",
            description = "Server optimizer of the fed server and of sflv1's main server (Reddi et al. 2021): fedavg, "
                    + "fedavgm[:lr=ETA,momentum=BETA], fedadam|fedyogi[:lr=ETA,b1=B1,b2=B2,tau=TAU] or "
                    + "fedadagrad[:lr=ETA,b1=B1,tau=TAU]; fl, sflv1, sflv2. Example: --strategy fedadam:lr=0.01")
    String strategy;

    @Option(names = "--prox-mu", defaultValue = "0", paramLabel = "MU",
            description = "FedProx (Li et al. 2020): each client adds MU/2 ||w - w_start||^2 to its local loss "
                    + "(and sflv1's main server to each copy of W_S); 0 for off. Example: --prox-mu 0.01")
    double proxMu;

    @Option(names = "--threads", paramLabel = "T",
            description = "PyTorch threads (default: the number of cores). Example: --threads 1")
    Integer threads;

    /**
     * Returns the learning rate when {@code --lr} is not given: 0.01 suits LeNet-5 and the MLP; a
     * next-word LSTM trained with SGD needs a step about fifty times larger to move its embedding
     * and softmax rows, of which a batch touches only a few (measured on fortunes, one central pass
     * over 60,000 samples: test perplexity 443 at 0.5 against 706 at 0.01).
     */
    private float defaultLearningRate() {
        String model = setup.model != null ? setup.model : DatasetCatalog.naturalModel(setup.dataset);
        return model.equals("next-word") && optimizer.strip().equalsIgnoreCase("sgd") ? 0.5f : 0.01f;
    }

    /**
     * Returns the configuration these options describe for one scheme.
     *
     * @param scheme the scheme
     * @return the checked configuration
     */
    SimulationConfig config(Scheme scheme) {
        SimulationConfig.Builder builder = SimulationConfig.builder()
                .optScheme(scheme)
                .optModel(setup.model)
                .optDataset(setup.dataset)
                .optDataDir(setup.dataDir)
                .optCut(setup.cut)
                .optClients(setup.clients)
                .optFraction(fraction)
                .optRounds(rounds)
                .optLocalEpochs(setup.localEpochs)
                .optBatchSize(batchSize)
                .optOptimizer(optimizer)
                .optLearningRate(lr != null ? lr : defaultLearningRate())
                .optMomentum(momentum)
                .optPartition(setup.partition())
                .optSeed(setup.seed)
                .optLimit(setup.limit)
                .optCompress(Codec.parse(compress))
                .optDpSgd(dpSgd.strip().equalsIgnoreCase("none") ? null : DpSgdConfig.parse(dpSgd))
                .optDpFedAvg(dpFedAvg.strip().equalsIgnoreCase("none") ? null : DpFedAvgConfig.parse(dpFedAvg))
                .optDelta(delta)
                .optLabels(LabelSharing.parse(labels))
                .optSmashedNoise(SmashedNoise.parse(smashedNoise))
                .optSecureAgg(secureAgg)
                .optSecureAggDropouts(secureAggDropouts)
                .optSpeeds(DeviceSpeeds.parse(speeds))
                .optBatchSeconds(TimeModel.BatchSeconds.parse(batchSeconds))
                .optLink(link.strip().equalsIgnoreCase("none") ? null : LinkRate.parse(link))
                .optDeadline(deadline)
                .optStragglers(Stragglers.parse(stragglers))
                .optFedBuff(async.strip().equalsIgnoreCase("none") ? null : FedBuffConfig.parse(async))
                .optAggregator(AggregatorSpec.parse(aggregator))
                .optMalicious(malicious)
                .optAttack(attack.strip().equalsIgnoreCase("none") ? null : Attack.parse(attack))
                .optScaffold(scaffold)
                .optPersonalHead(personalHead)
                .optPersonalHoldout(personalHoldout)
                .optStrategy(Strategy.parse(strategy))
                .optProxMu(proxMu);
        if (threads != null) {
            builder.optThreads(threads);
        }
        return builder.build();
    }
}
