package dev.splitfed.scheme;

import dev.splitfed.internal.scheme.ClientPool;
import dev.splitfed.internal.scheme.ClientShares;
import dev.splitfed.internal.scheme.Deployment;
import dev.splitfed.internal.scheme.LocalDeployment;
import dev.splitfed.internal.scheme.Roles;
import dev.splitfed.InvalidInputException;
import dev.splitfed.cost.CostModel;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.hetero.TimeModel;
import dev.splitfed.model.Architecture;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.internal.role.LocalEntries;
import dev.splitfed.internal.model.NoisyCut;
import dev.splitfed.internal.model.SplitModel;
import dev.splitfed.internal.random.Seeds;
import dev.splitfed.internal.transport.InProcessTransport;
import dev.splitfed.internal.transport.Transport;
import org.apache.commons.rng.sampling.PermutationSampler;

/**
 * Runs one scheme end to end: partitions the data, creates the clients, the fed server and (for
 * split schemes) the main server, connects them through the deployment (by default the in-process
 * transport) and hands the run to its round driver, synchronous rounds or FedBuff, which evaluates
 * the global model on the whole test set after each round.
 */
public final class Simulation {

    private final SimulationConfig config;
    private final DataSplit data;
    private final Dataset train;
    private final Architecture architecture;
    private final int cut;
    private final int[][] partition;
    /** Each client's held-out samples ({@code --personal-holdout}), or null when none are held out. */
    private final int[][] holdout;

    /**
     * Prepares a run of the configuration's model on the given data: checks the model against the
     * data and partitions the training set.
     *
     * @param config the run's settings
     * @param data the training and test sets, e.g. {@code DatasetCatalog.load(...)} or the caller's own
     * @throws InvalidInputException if the model, the cut or the partition does not fit the data
     */
    public Simulation(SimulationConfig config, DataSplit data) {
        this(config, data, null);
    }

    /**
     * Prepares a run: checks the model against the data and partitions the training set.
     *
     * @param config the run's settings
     * @param data the training and test sets
     * @param model the model to use when the configuration takes its model from its data set (the data given
     *     here may be another set than the one the configuration names); null for the configuration's
     * @throws InvalidInputException if the model, the cut or the partition does not fit the data
     */
    public Simulation(SimulationConfig config, DataSplit data, String model) {
        if (!config.modelGiven() && model != null && !model.equals(config.model())) {
            // The run records the model it trains; everything else, the learning rate too, stays as resolved.
            config = config.toBuilder().optModel(model).optLearningRate(config.optimizer().learningRate()).build();
        }
        this.config = config;
        if (config.limit() > data.train().size()) {
            throw new InvalidInputException(
                    "limit " + config.limit() + " exceeds the " + data.train().size() + " training samples of "
                            + data.train().name());
        }
        this.train = config.limit() > 0 ? data.train().head(config.limit()) : data.train();
        this.data = new DataSplit(train, data.test(), data.source(), data.sample(), data.schema());
        String modelName = config.model();
        if (config.architecture() == null && modelName == null) {
            throw new InvalidInputException("{model} must be given for data set " + config.dataset()
                    + ", which has no model of its own");
        }
        Architecture plain = config.architecture() != null ? config.architecture() : Architecture.create(modelName, train);
        this.cut = plain.checkCut(config.cut());
        SplitLayout.checkCut(plain, cut, config.labels());
        this.architecture = NoisyCut.of(plain, cut, config.smashedNoise());
        if (config.localBn()) {
            checkLocalBn(config, plain, cut);
        }
        ClientShares shares = ClientShares.of(config, train);
        this.partition = shares.training();
        this.holdout = shares.holdout();
    }

    /** Refuses FedBN for a model with no batch normalisation in the clients' part. */
    private static void checkLocalBn(SimulationConfig config, Architecture architecture, int cut) {
        boolean[] mask = LocalEntries.normalisation(architecture,
                config.scheme().isSplit() ? SplitLayout.of(architecture, cut, config.labels()) : null);
        for (boolean b : mask) {
            if (b) {
                return;
            }
        }
        throw new InvalidInputException("{local-bn} keeps each client's batch-normalisation layers, but model "
                + architecture.name() + " has none" + (config.scheme().isSplit() ? " before the cut" : "")
                + "; use {model} resnet18");
    }

    /**
     * Returns the initial weights of a run: PyTorch's default initialisation of every layer, drawn
     * from the run seed, client-side values followed by server-side values; or, for an architecture
     * that {@link Architecture#carriesWeights() carries its weights}, those.
     *
     * @param architecture the network
     * @param cut the cut that fixes the weight layout
     * @param seed the run seed
     * @return the whole flat vector
     */
    public static float[] initialWeights(Architecture architecture, int cut, long seed) {
        try (SplitModel shape = SplitModel.create(architecture, cut)) {
            if (architecture.carriesWeights()) {
                return shape.weights();
            }
            return SplitModel.concat(shape.client().defaultInitialWeights(seed, "init-client"),
                    shape.server().defaultInitialWeights(seed, "init-server"));
        }
    }

    /** Returns the network being trained. */
    public Architecture architecture() {
        return architecture;
    }

    /**
     * Trains for the configured number of rounds.
     *
     * @param listener told of progress and of each round's metrics
     * @return every round's metrics and the final global model
     */
    public SimulationResult run(SimulationListener listener) {
        return run(listener, null);
    }

    /**
     * Trains the rounds after a checkpoint with the in-process transport.
     *
     * @param listener told of progress and of each round's metrics
     * @param from the last completed round's checkpoint, or null to start from round 1
     * @return the metrics of the rounds trained now and the final global model
     */
    public SimulationResult run(SimulationListener listener, Checkpoint from) {
        try (Transport transport = new InProcessTransport(config.compress())) {
            return run(listener, from, transport);
        }
    }

    /**
     * Trains the rounds after a checkpoint, exactly as an uninterrupted run would have.
     *
     * @param listener told of progress and of each round's metrics
     * @param from the last completed round's checkpoint, or null to start from round 1
     * @param transport how the clients reach the servers; the caller closes it
     * @return the metrics of the rounds trained now and the final global model
     * @throws InvalidInputException if the checkpoint does not fit this model or run
     */
    public SimulationResult run(SimulationListener listener, Checkpoint from, Transport transport) {
        return run(listener, from, new LocalDeployment(transport));
    }

    /**
     * Trains the rounds after a checkpoint with clients wherever the deployment puts them.
     *
     * @param listener told of progress and of each round's metrics
     * @param from the last completed round's checkpoint, or null to start from round 1
     * @param deployment where the clients are and how they reach the servers
     * @return the metrics of the rounds trained now and the final global model
     * @throws InvalidInputException if the checkpoint does not fit this model or run
     */
    public SimulationResult run(SimulationListener listener, Checkpoint from, Deployment deployment) {
        Torch.setThreads(config.threads());
        Torch.seed(config.seed());
        float[] whole = initialWeights(architecture, cut, config.seed());
        int firstRound = 1;
        if (from != null) {
            if (from.globalWeights().length != whole.length) {
                throw new InvalidInputException(
                        "the checkpoint holds " + from.globalWeights().length + " weights, but " + architecture.name()
                                + " cut " + cut + " has " + whole.length);
            }
            if (from.round() > config.rounds()) {
                throw new InvalidInputException(
                        "the checkpoint is of round " + from.round() + ", past the run's " + config.rounds() + " rounds");
            }
            if (config.fedBuff() != null) {
                throw new InvalidInputException("a run with {async} cannot be resumed: its clients' jobs in flight are "
                        + "not in the checkpoint");
            }
            if (config.scaffold() || config.personalHead() || config.localBn()) {
                throw new InvalidInputException("a run with " + (config.scaffold() ? "{scaffold}"
                        : config.personalHead() ? "{personal-head}" : "{local-bn}")
                        + " cannot be resumed: the clients' " + (config.scaffold() ? "control variates"
                        : config.personalHead() ? "heads" : "batch-normalisation values")
                        + " are theirs alone and not in the checkpoint, so they would start again from scratch");
            }
            whole = from.globalWeights();
            firstRound = from.round() + 1;
        }
        // The global model stays in architecture order; with private labels the client's part is bottom ++ head.
        SplitLayout layout = SplitLayout.of(architecture, cut, config.labels());
        float[] clientInit = layout.clientPart(whole);
        float[] serverInit = layout.serverPart(whole);
        SimulationPlan plan = new SimulationPlan(config, architecture, data, partition, clientInit.length, serverInit.length);
        listener.started(plan);
        Roles roles = new Roles(
                config, architecture, cut, clientInit, serverInit, deployment.remoteMainServer(), deployment.noise(config.seed()));
        if (from != null) {
            roles.restore(from.serverState());
        }
        ClientPool clients = deployment.connect(roles, plan, listener::batchDone);

        CostModel cost = CostModel.of(
                architecture, cut, config.labels(), config.localEpochs(), config.batchSize(), config.compress());
        TimeModel time = config.timed()
                ? new TimeModel(config.scheme(), config.speeds().draw(partition.length, config.seed()),
                        config.batchSeconds(), config.link(), CostModel.of(architecture, cut, config.labels(), 1,
                                config.batchSize(), config.compress()))
                : null;
        AssembledRun run = new AssembledRun(config, architecture, cut, data.test(),
                new ClientWorkload(partition, config.batchSize(), config.localEpochs()), roles, clients,
                deployment.meter(), cost, time, listener);
        try (clients) {
            if (config.fedBuff() != null) {
                return new FedBuffDriver(run).run();
            }
            PersonalEvaluation personal = holdout == null
                    ? null : new PersonalEvaluation(architecture, cut, train, holdout, config.personalHead(),
                            config.localBn(), config.scheme().isSplit() ? layout : null);
            return new SynchronousDriver(run, personal).run(firstRound, whole);
        }
    }
}
