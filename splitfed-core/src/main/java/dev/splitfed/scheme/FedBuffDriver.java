package dev.splitfed.scheme;

import dev.splitfed.internal.scheme.Evaluation;
import dev.splitfed.internal.scheme.Roles;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.hetero.FedBuffConfig;
import dev.splitfed.internal.random.Seeds;
import dev.splitfed.internal.role.ClientReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;

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
final class FedBuffDriver {

    private final AssembledRun run;
    private final SimulationConfig config;
    private final FedBuffConfig fedBuff;
    private final int n;
    private final int concurrency;
    private final UniformRandomProvider pick;
    /** Each client's job number: how many times it has started. */
    private final int[] jobs;
    private final boolean[] busy;
    // Ties in time go to the lower client id, so that equal speeds give a fixed order.
    private final PriorityQueue<Arrival> queue = new PriorityQueue<>(
            Comparator.comparingDouble(Arrival::time).thenComparingInt(Arrival::clientId));
    /** The clients that handed in at the current moment and start again once it has passed. */
    private final List<Integer> restarts = new ArrayList<>();
    /** The simulated clock. */
    private double now;

    /** A client's job that finishes at a simulated time. */
    private record Arrival(double time, int clientId) {}

    /**
     * Creates the driver of a run.
     *
     * @param run the assembled run; it must have a time model
     */
    FedBuffDriver(AssembledRun run) {
        this.run = run;
        this.config = run.config();
        this.fedBuff = config.fedBuff();
        this.n = run.workload().clients();
        this.concurrency = fedBuff.concurrency() == 0 ? n : fedBuff.concurrency();
        this.pick = Seeds.rng(config.seed(), "async-pick");
        this.jobs = new int[n];
        this.busy = new boolean[n];
    }

    /**
     * Trains the configured number of server steps.
     *
     * @return every step's metrics and the final global model
     */
    SimulationResult run() {
        Roles roles = run.roles();
        int[] first = concurrency == n
                ? PermutationSampler.natural(n) : new PermutationSampler(pick, n, concurrency).sample();
        Arrays.sort(first);
        for (int k : first) {
            jobs[k]++;
            busy[k] = true;
            roles.start(k, jobs[k]);
            queue.add(new Arrival(run.time().seconds(k, run.workload().fullBatches(k)), k));
        }
        List<RoundMetrics> history = new ArrayList<>();
        for (int step = 1; step <= config.rounds(); step++) {
            RoundMetrics metrics = step(step);
            history.add(metrics);
            run.listener().roundFinished(metrics, new Checkpoint(step, roles.globalWeights()));
        }
        return new SimulationResult(List.copyOf(history), roles.globalWeights());
    }

    /** Takes in arrivals until the buffer is full, then has the servers take a step and evaluates it. */
    private RoundMetrics step(int step) {
        Roles roles = run.roles();
        long expected = queue.stream().sorted(queue.comparator()).limit(fedBuff.buffer())
                .mapToLong(a -> run.workload().fullBatches(a.clientId())).sum();
        run.listener().roundStarted(step, expected);
        run.meter().reset();
        long start = System.nanoTime();
        List<Integer> arrived = new ArrayList<>();
        long seen = 0;
        double lossSum = 0;
        while (arrived.size() < fedBuff.buffer()) {
            if (queue.isEmpty() || queue.peek().time() > now) {
                restart();
            }
            Arrival a = queue.remove();
            now = a.time();
            int k = a.clientId();
            Torch.seed(Seeds.derive(config.seed(), "torch-async", k, jobs[k]));
            List<ClientReport> reports = run.clients().train(jobs[k], List.of(k));
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
        restart();
        double seconds = (System.nanoTime() - start) / 1e9;
        long evalStart = System.nanoTime();
        Evaluation eval = run.evaluate(roles.globalWeights());
        double evalSeconds = (System.nanoTime() - evalStart) / 1e9;
        return new RoundMetricsBuilder(step, config.scheme(), arrived.size())
                .evaluation(eval, run.architecture().languageModel())
                .trainLoss(lossSum, seen)
                .seconds(seconds, evalSeconds)
                .traffic(run.meter(), run.cost().round(config.scheme(), run.workload().samples(arrived)).total())
                .simSeconds(now)
                .build();
    }

    /**
     * Starts the next jobs of the clients that handed in at {@code now}, from the current global
     * weights. They start once the clock moves on, or once a step at {@code now} is taken, so that
     * clients arriving together with a step's last update start from that step's result.
     */
    private void restart() {
        for (int k : restarts) {
            jobs[k]++;
            run.roles().start(k, jobs[k]);
            queue.add(new Arrival(now + run.time().seconds(k, run.workload().fullBatches(k)), k));
        }
        restarts.clear();
    }
}
