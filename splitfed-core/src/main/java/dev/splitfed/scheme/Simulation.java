package dev.splitfed.scheme;

import dev.splitfed.InvalidInputException;
import dev.splitfed.cost.CostModel;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import dev.splitfed.engine.Torch;
import dev.splitfed.hetero.FedBuffConfig;
import dev.splitfed.hetero.Stragglers;
import dev.splitfed.hetero.TimeModel;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.SplitLayout;
import dev.splitfed.model.NoisyCut;
import dev.splitfed.model.SplitModel;
import dev.splitfed.privacy.PrivacyLedger;
import dev.splitfed.random.Seeds;
import dev.splitfed.role.ClientReport;
import dev.splitfed.role.PersonalHead;
import dev.splitfed.secagg.SecAggCost;
import dev.splitfed.train.Batches;
import dev.splitfed.transport.InProcessTransport;
import dev.splitfed.transport.TrafficMeter;
import dev.splitfed.transport.Transport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
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
        if (config.architecture() == null && modelName == null) {
            throw new InvalidInputException("{model} must be given for data set " + config.dataset()
                    + ", which has no model of its own");
        }
        Architecture plain = config.architecture() != null ? config.architecture() : Architecture.create(modelName, train);
        this.cut = plain.checkCut(config.cut());
        SplitLayout.checkCut(plain, cut, config.labels());
        this.architecture = NoisyCut.of(plain, cut, config.smashedNoise());
        ClientShares shares = ClientShares.of(config, train);
        this.partition = shares.training();
        this.holdout = shares.holdout();
    }

    /**
     * Returns the initial weights of a run: PyTorch's default initialisation of every layer, drawn
     * from the run seed, client-side values followed by server-side values.
     *
     * @param architecture the network
     * @param cut the cut that fixes the weight layout
     * @param seed the run seed
     * @return the whole flat vector
     */
    public static float[] initialWeights(Architecture architecture, int cut, long seed) {
        try (SplitModel shape = SplitModel.create(architecture, cut)) {
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
                throw new InvalidInputException("a run with --async cannot be resumed: its clients' jobs in flight are "
                        + "not in the checkpoint");
            }
            if (config.scaffold() || config.personalHead()) {
                throw new InvalidInputException("a run with " + (config.scaffold() ? "--scaffold" : "--personal-head")
                        + " cannot be resumed: the clients' " + (config.scaffold() ? "control variates" : "heads")
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
        TimeModel time = config.timed()
                ? new TimeModel(config.scheme(), config.speeds().draw(partition.length, config.seed()),
                        config.batchSeconds(), config.link(), CostModel.of(architecture, cut, config.labels(), 1,
                                config.batchSize(), config.compress()))
                : null;
        if (config.fedBuff() != null) {
            try (clients) {
                return runAsync(roles, clients, meter, cost, time, listener);
            }
        }
        double[] clock = {0};
        for (int round = 1; round < firstRound && time != null; round++) {
            // A resumed run's clock goes on from where the uninterrupted one's stood.
            clock[0] += roundPlan(round, time, select(round)).seconds;
        }
        List<RoundMetrics> history = new ArrayList<>();
        float[] global = whole.clone();
        try (clients) {
            for (int round = firstRound; round <= config.rounds(); round++) {
                RoundMetrics metrics = round(round, roles, clients, meter, cost, ledger, listener, time, clock);
                history.add(metrics);
                global = roles.globalWeights();
                listener.roundFinished(metrics, new Checkpoint(round, global, roles.state()));
            }
        }
        return new SimulationResult(List.copyOf(history), global);
    }

    private RoundMetrics round(int round, Roles roles, ClientPool clients, TrafficMeter meter, CostModel cost,
            PrivacyLedger ledger, SimulationListener listener, TimeModel time, double[] clock) {
        Scheme scheme = config.scheme();
        List<Integer> participants = select(round);
        RoundPlan plan = time == null ? new RoundPlan(Map.of(), List.of(), 0) : roundPlan(round, time, participants);
        long batches = 0;
        for (int k : participants) {
            if (!plan.skipped(k)) {
                batches += plan.budgets.getOrDefault(k, fullBatches(k));
            }
        }
        listener.roundStarted(round, batches);
        // PyTorch's generator (the noise at the cut) starts each round afresh, so a resumed run
        // draws what the uninterrupted one draws.
        Torch.seed(Seeds.derive(config.seed(), "torch", round));
        meter.reset();
        long start = System.nanoTime();
        roles.beginRound(round, participants);
        List<Integer> ready = clients.beforeTraining(round, participants);
        List<ClientReport> reports = clients.train(round, serviceOrder(scheme, config.seed(), round, participants).stream()
                .filter(k -> ready.contains(k) && !plan.skipped(k)).toList(), plan.budgets);
        // A straggler's work is discarded as if it had disconnected (sflv2's one W_S keeps its batches).
        reports = reports.stream().filter(r -> !plan.stragglers.contains(r.clientId())).toList();
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
        float[] global = roles.globalWeights();
        Evaluation eval = Evaluation.of(architecture, cut, global, data.test());
        double[] personal = personalAccuracy(clients, global);
        double evalSeconds = (System.nanoTime() - evalStart) / 1e9;
        int[] samples = completed.stream().mapToInt(k -> partition[k].length).toArray();
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
                cost.round(scheme, samples).total()
                        + (config.secureAgg() ? SecAggCost.overhead(completed.size()).total() : 0)
                        + cost.fedServerChange(scheme, completed.size(),
                                config.personalHead() ? PersonalHead.size(architecture) : 0, config.scaffold()).total(),
                ledger.sampleEpsilon(),
                ledger.userEpsilon(),
                time == null ? null : (clock[0] += plan.seconds),
                personal == null ? null : personal[0],
                personal == null ? null : personal[1],
                personal == null ? null : personal[2],
                architecture.languageModel() ? eval.top3Accuracy() : null,
                architecture.languageModel() ? eval.perplexity() : null);
    }

    /**
     * Evaluates, on every client's held-out samples, the model that client would use: the global
     * model, or with FedPer the global base with the client's own head (Arivazhagan et al. 2019
     * evaluate each client's personalised model on its own test data).
     *
     * @return {accuracy over all held-out samples, lowest client's, highest client's}, or null when
     *     no samples are held out or the clients' heads are out of reach (remote clients)
     */
    private double[] personalAccuracy(ClientPool clients, float[] global) {
        if (holdout == null) {
            return null;
        }
        long correct = 0;
        long total = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < holdout.length; k++) {
            if (holdout[k].length == 0) {
                continue;
            }
            float[] weights = global;
            if (config.personalHead()) {
                float[] head = clients.personalHead(k);
                if (head == null) {
                    return null;
                }
                // The head is the network's last stage: the tail of the whole vector.
                weights = global.clone();
                System.arraycopy(head, 0, weights, weights.length - head.length, head.length);
            }
            Evaluation own = Evaluation.of(architecture, cut, weights, train.select(holdout[k]));
            correct += Math.round(own.accuracy() * holdout[k].length);
            total += holdout[k].length;
            min = Math.min(min, own.accuracy());
            max = Math.max(max, own.accuracy());
        }
        return total == 0 ? null : new double[] {(double) correct / total, min, max};
    }

    private long fullBatches(int clientId) {
        return (long) Batches.count(partition[clientId].length, config.batchSize()) * config.localEpochs();
    }

    /**
     * What the deadline makes of a synchronous round: the batch budgets of the clients that train
     * only part of their round, the stragglers whose work is discarded, and the round's simulated
     * seconds, {@code min(deadline, slowest participant)}.
     *
     * @param budgets the most batches of the clients that cannot train all of theirs
     * @param stragglers the clients dropped for missing the deadline
     * @param seconds the round's simulated seconds
     */
    private record RoundPlan(Map<Integer, Long> budgets, List<Integer> stragglers, double seconds) {

        /** Returns whether the client does not train at all: a straggler with nothing to keep. */
        boolean skipped(int clientId) {
            return stragglers.contains(clientId) && !budgets.containsKey(clientId);
        }
    }

    private RoundPlan roundPlan(int round, TimeModel time, List<Integer> participants) {
        Map<Integer, Long> budgets = new HashMap<>();
        List<Integer> stragglers = new ArrayList<>();
        double seconds = 0;
        double deadline = config.deadline();
        for (int k : participants) {
            long full = fullBatches(k);
            double t = time.seconds(k, full);
            if (deadline > 0 && t > deadline) {
                seconds = deadline;
                long fit = time.budget(k, full, deadline);
                if (config.stragglers() == Stragglers.PARTIAL && fit > 0) {
                    budgets.put(k, fit);
                } else {
                    stragglers.add(k);
                    // sflv2's one W_S keeps the batches a straggler sent before the deadline, so they
                    // are trained; elsewhere its work is discarded whole, so it need not train.
                    if (config.scheme() == Scheme.SFLV2 && fit > 0) {
                        budgets.put(k, fit);
                    }
                }
            } else {
                seconds = Math.max(seconds, t);
            }
        }
        return new RoundPlan(Map.copyOf(budgets), List.copyOf(stragglers), seconds);
    }

    /**
     * Trains with asynchronous buffered aggregation (FedBuff; Nguyen et al. 2022, Algorithm 1) in
     * simulated time. C clients train at once, each from the global weights of the moment it
     * starts; the server buffers the updates as they arrive and takes a step after every K of
     * them. A client that hands in starts again at once, from the newest weights (with C below
     * the number of clients, an idle client drawn at random starts in its place). Each server step
     * is one round of the metrics.
     *
     * <p>Clients run one after another in this process: a client's result depends only on the
     * weights it started from, its data and the seeds, so its training runs when its arrival
     * comes up in simulated time, against the weights the servers kept from its start.
     */
    private SimulationResult runAsync(Roles roles, ClientPool clients, TrafficMeter meter, CostModel cost,
            TimeModel time, SimulationListener listener) {
        FedBuffConfig fedBuff = config.fedBuff();
        int n = partition.length;
        int concurrency = fedBuff.concurrency() == 0 ? n : fedBuff.concurrency();
        UniformRandomProvider pick = Seeds.rng(config.seed(), "async-pick");
        int[] jobs = new int[n];
        boolean[] busy = new boolean[n];
        // Ties in time go to the lower client id, so that equal speeds give a fixed order.
        PriorityQueue<Arrival> queue = new PriorityQueue<>(
                Comparator.comparingDouble(Arrival::time).thenComparingInt(Arrival::clientId));
        int[] first = concurrency == n ? PermutationSampler.natural(n) : new PermutationSampler(pick, n, concurrency).sample();
        Arrays.sort(first);
        for (int k : first) {
            jobs[k]++;
            busy[k] = true;
            roles.start(k, jobs[k]);
            queue.add(new Arrival(time.seconds(k, fullBatches(k)), k));
        }
        List<RoundMetrics> history = new ArrayList<>();
        List<Integer> restarts = new ArrayList<>();
        double now = 0;
        for (int step = 1; step <= config.rounds(); step++) {
            long expected = queue.stream().sorted(queue.comparator()).limit(fedBuff.buffer())
                    .mapToLong(a -> fullBatches(a.clientId())).sum();
            listener.roundStarted(step, expected);
            meter.reset();
            long start = System.nanoTime();
            List<Integer> arrived = new ArrayList<>();
            long seen = 0;
            double lossSum = 0;
            while (arrived.size() < fedBuff.buffer()) {
                if (queue.isEmpty() || queue.peek().time() > now) {
                    restart(roles, time, jobs, restarts, queue, now);
                }
                Arrival a = queue.remove();
                now = a.time();
                int k = a.clientId();
                Torch.seed(Seeds.derive(config.seed(), "torch-async", k, jobs[k]));
                List<ClientReport> reports = clients.train(jobs[k], List.of(k));
                if (reports.isEmpty()) {
                    roles.dropped(k);
                } else {
                    roles.arrived(k);
                    arrived.add(k);
                    seen += reports.get(0).samplesSeen();
                    lossSum += reports.get(0).lossSum();
                }
                busy[k] = false;
                int next = k;
                if (concurrency < n) {
                    List<Integer> idle = new ArrayList<>();
                    for (int c = 0; c < n; c++) {
                        if (!busy[c]) {
                            idle.add(c);
                        }
                    }
                    next = idle.get(pick.nextInt(idle.size()));
                }
                busy[next] = true;
                restarts.add(next);
            }
            roles.step();
            // Clients that handed in at the moment of the step start from its result.
            restart(roles, time, jobs, restarts, queue, now);
            double seconds = (System.nanoTime() - start) / 1e9;
            long evalStart = System.nanoTime();
            Evaluation eval = Evaluation.of(architecture, cut, roles.globalWeights(), data.test());
            double evalSeconds = (System.nanoTime() - evalStart) / 1e9;
            RoundMetrics metrics = new RoundMetrics(step, config.scheme().id(), arrived.size(), eval.accuracy(),
                    eval.loss(), seen == 0 ? Double.NaN : lossSum / seen, seconds, evalSeconds, meter.bytesUp(),
                    meter.bytesDown(), cost.round(config.scheme(), arrived.stream().mapToInt(k -> partition[k].length)
                            .toArray()).total(), null, null, now, null, null, null,
                    architecture.languageModel() ? eval.top3Accuracy() : null,
                    architecture.languageModel() ? eval.perplexity() : null);
            history.add(metrics);
            listener.roundFinished(metrics, new Checkpoint(step, roles.globalWeights()));
        }
        return new SimulationResult(List.copyOf(history), roles.globalWeights());
    }

    /**
     * Starts the next jobs of the clients that handed in at {@code now}, from the current global
     * weights. They start once the clock moves on, or once a step at {@code now} is taken, so that
     * clients arriving together with a step's last update start from that step's result.
     */
    private void restart(Roles roles, TimeModel time, int[] jobs, List<Integer> restarts, PriorityQueue<Arrival> queue,
            double now) {
        for (int k : restarts) {
            jobs[k]++;
            roles.start(k, jobs[k]);
            queue.add(new Arrival(now + time.seconds(k, fullBatches(k)), k));
        }
        restarts.clear();
    }

    /** A client's job that finishes at a simulated time. */
    private record Arrival(double time, int clientId) {}

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
