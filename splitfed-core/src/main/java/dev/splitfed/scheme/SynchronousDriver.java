package dev.splitfed.scheme;

import dev.splitfed.internal.scheme.ClientPool;
import dev.splitfed.internal.scheme.Evaluation;
import dev.splitfed.internal.scheme.Roles;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.internal.random.Seeds;
import dev.splitfed.internal.role.ClientReport;
import dev.splitfed.internal.role.PersonalHead;
import dev.splitfed.internal.secagg.SecAggCost;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives synchronous rounds: each round selects its clients, has them train (before the deadline,
 * if there is one), closes the round on the servers, spends its privacy and evaluates the global
 * model.
 *
 * <p>Clients run one after another in this process; the result is the same as if the parallel
 * schemes ran them at once, since no client sees another's work within a round (in {@code sflv2}
 * the main server serves them in a random order each round, exactly as it would).
 */
final class SynchronousDriver {

    private final AssembledRun run;
    private final SimulationConfig config;
    private final ClientSelection selection;
    private final PrivacySpending privacy;
    private final PersonalEvaluation personal;
    /** The simulated clock at the end of the last round, for a run in simulated time. */
    private double clock;

    /**
     * Creates the driver of a run.
     *
     * @param run the assembled run
     * @param personal the evaluation on the clients' held-out samples, or null when none are held out
     */
    SynchronousDriver(AssembledRun run, PersonalEvaluation personal) {
        this.run = run;
        this.config = run.config();
        this.selection = new ClientSelection(config, run.workload().clients());
        this.privacy = new PrivacySpending(config, run.workload());
        this.personal = personal;
    }

    /**
     * Trains rounds {@code firstRound} to the last, after replaying what the rounds before spent.
     *
     * @param firstRound the first round to train, from 1
     * @param start the global weights the rounds start from
     * @return the metrics of the rounds trained now and the final global model
     */
    SimulationResult run(int firstRound, float[] start) {
        for (int round = 1; round < firstRound; round++) {
            List<Integer> selected = selection.select(round);
            // A resumed run spends what the rounds before it spent, counted as if nobody had dropped,
            // and its clock goes on from where the uninterrupted one's stood.
            privacy.roundDone(selected);
            if (run.time() != null) {
                clock += DeadlinePlan.of(config, run.time(), run.workload(), selected).seconds();
            }
        }
        List<RoundMetrics> history = new ArrayList<>();
        float[] global = start.clone();
        for (int round = firstRound; round <= config.rounds(); round++) {
            RoundMetrics metrics = round(round);
            history.add(metrics);
            global = run.roles().globalWeights();
            run.listener().roundFinished(metrics, new Checkpoint(round, global, run.roles().state()));
        }
        return new SimulationResult(List.copyOf(history), global);
    }

    private RoundMetrics round(int round) {
        Scheme scheme = config.scheme();
        Roles roles = run.roles();
        ClientPool clients = run.clients();
        List<Integer> participants = selection.select(round);
        DeadlinePlan plan = run.time() == null
                ? DeadlinePlan.UNTIMED : DeadlinePlan.of(config, run.time(), run.workload(), participants);
        long batches = 0;
        for (int k : participants) {
            batches += plan.batches(k, run.workload());
        }
        run.listener().roundStarted(round, batches);
        // PyTorch's generator (the noise at the cut) starts each round afresh, so a resumed run
        // draws what the uninterrupted one draws.
        Torch.seed(Seeds.derive(config.seed(), "torch", round));
        run.meter().reset();
        long start = System.nanoTime();
        roles.beginRound(round, participants);
        List<Integer> ready = clients.beforeTraining(round, participants);
        List<ClientReport> reports = clients.train(round, ClientSelection.serviceOrder(scheme, config.seed(), round,
                participants).stream().filter(k -> ready.contains(k) && !plan.skipped(k)).toList(), plan.budgets());
        // A straggler's work is discarded as if it had disconnected (sflv2's one W_S keeps its batches).
        reports = reports.stream().filter(r -> !plan.stragglers().contains(r.clientId())).toList();
        List<Integer> completed = reports.stream().map(ClientReport::clientId).toList();
        for (int k : participants) {
            if (!completed.contains(k)) {
                roles.dropped(k);
            }
        }
        clients.afterTraining(round, completed);
        roles.endRound();
        privacy.roundDone(completed);
        double seconds = (System.nanoTime() - start) / 1e9;
        long seen = reports.stream().mapToLong(ClientReport::samplesSeen).sum();
        double lossSum = reports.stream().mapToDouble(ClientReport::lossSum).sum();
        long evalStart = System.nanoTime();
        float[] global = roles.globalWeights();
        Evaluation eval = run.evaluate(global);
        PersonalEvaluation.Accuracy own = personal == null ? null : personal.evaluate(clients, global);
        double evalSeconds = (System.nanoTime() - evalStart) / 1e9;
        if (run.time() != null) {
            clock += plan.seconds();
        }
        return new RoundMetricsBuilder(round, scheme, completed.size())
                .evaluation(eval, run.architecture().languageModel())
                .trainLoss(lossSum, seen)
                .seconds(seconds, evalSeconds)
                .traffic(run.meter(), predictedBytes(completed))
                .epsilons(privacy.sampleEpsilon(), privacy.userEpsilon())
                .simSeconds(run.time() == null ? null : clock)
                .personal(own)
                .build();
    }

    /**
     * Returns the bytes the cost model predicts for a round that the listed clients completed: their
     * training traffic, secure aggregation's overhead, and what the fed server sends beyond the model.
     */
    private long predictedBytes(List<Integer> completed) {
        Scheme scheme = config.scheme();
        return run.cost().round(scheme, run.workload().samples(completed)).total()
                + (config.secureAgg() ? SecAggCost.overhead(completed.size()).total() : 0)
                + run.cost().fedServerChange(scheme, completed.size(),
                        config.personalHead() ? PersonalHead.size(run.architecture()) : 0, config.scaffold()).total();
    }
}
