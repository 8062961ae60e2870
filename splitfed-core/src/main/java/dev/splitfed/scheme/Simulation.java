package dev.splitfed.scheme;

import dev.splitfed.InvalidInputException;
import dev.splitfed.cost.CostModel;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import dev.splitfed.data.Partitioner;
import dev.splitfed.engine.Torch;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.SplitLayout;
import dev.splitfed.model.NoisyCut;
import dev.splitfed.model.SplitModel;
import dev.splitfed.privacy.PrivacyLedger;
import dev.splitfed.random.Seeds;
import dev.splitfed.role.ClientReport;
import dev.splitfed.secagg.SecAggCost;
import dev.splitfed.train.Batches;
import dev.splitfed.transport.InProcessTransport;
import dev.splitfed.transport.TrafficMeter;
import dev.splitfed.transport.Transport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;

/**
 * Runs one scheme end to end in one process: partitions the data, creates the clients, the fed
 * server and (for split schemes) the main server, connects them through the in-process transport
 * and drives the rounds, evaluating the global model on the whole test set after each.
 *
 * <p>Clients run one after another in this process; the result is the same as if the parallel
 * schemes ran them at once, since no client sees another's work within a round (in {@code sflv2}
 * the main server serves them in a random order each round, exactly as it would).
 */
public final class Simulation {

    private final SimulationConfig config;
    private final DataSplit data;
    private final Dataset train;
    private final Architecture architecture;
    private final int cut;
    private final int[][] partition;

    /**
     * Prepares a run: checks the model against the data and partitions the training set.
     *
     * @param config the run's settings
     * @param data the training and test sets
     * @param model the model name to use when {@code config.model()} is null
     * @throws InvalidInputException if the model, the cut or the partition does not fit the data
     */
    public Simulation(SimulationConfig config, DataSplit data, String model) {
        this.config = config;
        if (config.limit() > data.train().size()) {
            throw new InvalidInputException(
                    "limit " + config.limit() + " exceeds the " + data.train().size() + " training samples of "
                            + data.train().name());
        }
        this.train = config.limit() > 0 ? data.train().head(config.limit()) : data.train();
        this.data = new DataSplit(train, data.test(), data.source(), data.sample());
        String modelName = config.model() != null ? config.model() : model;
        Architecture plain = Architecture.create(modelName, train.sampleShape(), train.numClasses());
        this.cut = plain.checkCut(config.cut());
        SplitLayout.checkCut(plain, cut, config.labels());
        this.architecture = NoisyCut.of(plain, cut, config.smashedNoise());
        if (config.scheme() == Scheme.CENTRAL) {
            this.partition = new int[][] {PermutationSampler.natural(train.size())};
        } else {
            this.partition = Partitioner.parse(config.partition())
                    .partition(train.labels(), train.numClasses(), config.clients(), Seeds.derive(config.seed(), "partition"));
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
        float[] whole;
        try (SplitModel shape = SplitModel.create(architecture, cut)) {
            whole = SplitModel.concat(shape.client().defaultInitialWeights(config.seed(), "init-client"),
                    shape.server().defaultInitialWeights(config.seed(), "init-server"));
        }
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
            whole = from.globalWeights();
            firstRound = from.round() + 1;
        }
        // The global model stays in architecture order; with private labels the client's part is bottom ++ head.
        SplitLayout layout = SplitLayout.of(architecture, cut, config.labels());
        float[] clientInit = layout.clientPart(whole);
        float[] serverInit = layout.serverPart(whole);
        SimulationPlan plan = new SimulationPlan(config, architecture, data, partition, clientInit.length, serverInit.length);
        listener.started(plan);
        TrafficMeter meter = deployment.meter();
        Roles roles = new Roles(
                config, architecture, cut, clientInit, serverInit, deployment.remoteMainServer(), deployment.noise(config.seed()));
        if (from != null) {
            roles.restore(from.serverState());
        }
        PrivacyLedger ledger = new PrivacyLedger(config.dpSgd(), config.dpFedAvg(), config.fraction(), config.delta());
        for (int round = 1; round < firstRound; round++) {
            // A resumed run spends what the rounds before it spent, counted as if nobody had dropped.
            spend(ledger, select(round));
        }
        ClientPool clients = deployment.connect(roles, plan, listener::batchDone);

        CostModel cost = CostModel.of(
                architecture, cut, config.labels(), config.localEpochs(), config.batchSize(), config.compress());
        List<RoundMetrics> history = new ArrayList<>();
        float[] global = whole.clone();
        try (clients) {
            for (int round = firstRound; round <= config.rounds(); round++) {
                RoundMetrics metrics = round(round, roles, clients, meter, cost, ledger, listener);
                history.add(metrics);
                global = roles.globalWeights();
                listener.roundFinished(metrics, new Checkpoint(round, global, roles.state()));
            }
        }
        return new SimulationResult(List.copyOf(history), global);
    }

    private RoundMetrics round(int round, Roles roles, ClientPool clients, TrafficMeter meter, CostModel cost,
            PrivacyLedger ledger, SimulationListener listener) {
        Scheme scheme = config.scheme();
        List<Integer> participants = select(round);
        long batches = 0;
        for (int k : participants) {
            batches += (long) Batches.count(partition[k].length, config.batchSize()) * config.localEpochs();
        }
        listener.roundStarted(round, batches);
        // PyTorch's generator (the noise at the cut) starts each round afresh, so a resumed run
        // draws what the uninterrupted one draws.
        Torch.seed(Seeds.derive(config.seed(), "torch", round));
        meter.reset();
        long start = System.nanoTime();
        roles.beginRound(round, participants);
        List<Integer> ready = clients.beforeTraining(round, participants);
        List<ClientReport> reports = clients.train(
                round, serviceOrder(scheme, config.seed(), round, participants).stream().filter(ready::contains).toList());
        List<Integer> completed = reports.stream().map(ClientReport::clientId).toList();
        for (int k : participants) {
            if (!completed.contains(k)) {
                roles.dropped(k);
            }
        }
        clients.afterTraining(round, completed);
        roles.endRound();
        spend(ledger, completed);
        double seconds = (System.nanoTime() - start) / 1e9;
        long seen = reports.stream().mapToLong(ClientReport::samplesSeen).sum();
        double lossSum = reports.stream().mapToDouble(ClientReport::lossSum).sum();
        long evalStart = System.nanoTime();
        Evaluation eval = Evaluation.of(architecture, cut, roles.globalWeights(), data.test());
        double evalSeconds = (System.nanoTime() - evalStart) / 1e9;
        return new RoundMetrics(
                round,
                scheme.id(),
                completed.size(),
                eval.accuracy(),
                eval.loss(),
                seen == 0 ? Double.NaN : lossSum / seen,
                seconds,
                evalSeconds,
                meter.bytesUp(),
                meter.bytesDown(),
                cost.round(scheme, completed.stream().mapToInt(k -> partition[k].length).toArray()).total()
                        + (config.secureAgg() ? SecAggCost.overhead(completed.size()).total() : 0),
                ledger.sampleEpsilon(),
                ledger.userEpsilon());
    }

    /** Records what a round's DP mechanisms spent: each trained client's DP-SGD steps, and the fed server's round. */
    private void spend(PrivacyLedger ledger, List<Integer> trained) {
        for (int k : trained) {
            ledger.clientTrained(k, partition[k].length, config.batchSize(),
                    (long) Batches.count(partition[k].length, config.batchSize()) * config.localEpochs());
        }
        ledger.roundDone();
    }

    /**
     * Returns the clients selected for a round: all, or a seeded random {@code fraction} of them.
     * Under DP-FedAvg each client is selected on its own with probability {@code fraction}
     * (Poisson sampling, which the privacy analysis assumes), so a round may have none.
     */
    private List<Integer> select(int round) {
        int k = partition.length;
        if (config.dpFedAvg() != null) {
            UniformRandomProvider rng = Seeds.rng(config.seed(), "select", round);
            List<Integer> out = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                if (rng.nextDouble() < config.fraction()) {
                    out.add(c);
                }
            }
            return out;
        }
        int m = Math.max(1, (int) Math.round(config.fraction() * k));
        int[] chosen = m >= k
                ? PermutationSampler.natural(k)
                : new PermutationSampler(Seeds.rng(config.seed(), "select", round), k, m).sample();
        Arrays.sort(chosen);
        List<Integer> out = new ArrayList<>(chosen.length);
        for (int c : chosen) {
            out.add(c);
        }
        return out;
    }

    /**
     * Returns the order in which the round's clients train: a fresh seeded random order each round
     * for {@code sflv2} (whose main server serves one client at a time), ascending ids otherwise.
     */
    static List<Integer> serviceOrder(Scheme scheme, long seed, int round, List<Integer> participants) {
        if (scheme != Scheme.SFLV2) {
            return participants;
        }
        int[] idx = participants.stream().mapToInt(Integer::intValue).toArray();
        UniformRandomProvider rng = Seeds.rng(seed, "order", round);
        PermutationSampler.shuffle(rng, idx);
        List<Integer> out = new ArrayList<>(idx.length);
        for (int c : idx) {
            out.add(c);
        }
        return out;
    }
}
