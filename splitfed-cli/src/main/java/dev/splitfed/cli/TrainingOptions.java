package dev.splitfed.cli;

import dev.splitfed.aggregate.Strategy;
import dev.splitfed.compress.Codec;
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

    @Option(names = "--lr", defaultValue = "0.01", paramLabel = "RATE",
            description = "Learning rate. Example: --lr 0.001")
    float lr;

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
                .optLearningRate(lr)
                .optMomentum(momentum)
                .optPartition(setup.partition)
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
                .optStrategy(Strategy.parse(strategy))
                .optProxMu(proxMu);
        if (threads != null) {
            builder.optThreads(threads);
        }
        return builder.build();
    }
}
