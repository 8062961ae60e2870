package dev.splitfed.scheme;

import dev.splitfed.InvalidInputException;
import dev.splitfed.hetero.Stragglers;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.internal.secagg.FixedPoint;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Which settings go together: each feature's rules as small objects, checked in order on a built
 * configuration; the first that fails is the sentence the user reads. Messages name settings as
 * {@code {key}} ({@link InvalidInputException}).
 */
final class Compatibility {

    /**
     * A rule: what must hold, and the sentence that says why when it does not.
     *
     * @param holds true when the configuration obeys the rule
     * @param message the sentence for a configuration that does not
     */
    private record Rule(Predicate<SimulationConfig> holds, Function<SimulationConfig, String> message) {}

    private static Rule rule(Predicate<SimulationConfig> holds, Function<SimulationConfig, String> message) {
        return new Rule(holds, message);
    }

    /** Returns whether the scheme's fed server averages client models: fl, sflv1 and sflv2. */
    private static boolean averaged(SimulationConfig c) {
        return c.scheme() == Scheme.FL || c.scheme() == Scheme.SFLV1 || c.scheme() == Scheme.SFLV2;
    }

    /** Returns the updates one aggregation combines: FedBuff's buffer, or a round's participants. */
    private static int updatesPerAggregation(SimulationConfig c) {
        return c.fedBuff() != null ? c.fedBuff().buffer() : c.participantsPerRound();
    }

    private static final List<Rule> SCHEME_FEATURES = List.of(
            rule(c -> c.dpFedAvg() == null || averaged(c),
                    c -> "{dp-fedavg} protects what the fed server averages, so it needs fl, sflv1 or sflv2, not "
                            + c.scheme().id()),
            rule(c -> c.labels() == LabelSharing.SHARED || c.scheme().isSplit(),
                    c -> "{labels} private (the U-shaped split) needs a split scheme, sl, sflv1 or sflv2: in "
                            + c.scheme().id() + " no labels leave a client anyway"),
            rule(c -> !c.smashedNoise().enabled() || c.scheme().isSplit(),
                    c -> "{smashed-noise} adds noise at the cut, so it applies to sl, sflv1 and sflv2 only: "
                            + c.scheme().id() + " sends no smashed data"),
            rule(c -> c.strategy().plain() || averaged(c),
                    c -> "{strategy} " + c.strategy().name().id() + " moves the weights the fed server aggregates, "
                            + "so it needs fl, sflv1 or sflv2, not " + c.scheme().id()),
            rule(c -> c.proxMu() == 0 || averaged(c),
                    c -> "{prox-mu} holds each client near the round's global weights, so it needs fl, sflv1 or "
                            + "sflv2, whose fed server averages them, not " + c.scheme().id()));

    private static final List<Rule> SECURE_AGGREGATION = List.of(
            rule(c -> c.secureAgg() || c.secureAggDropoutsGiven() == null,
                    c -> "{secure-agg-dropouts} goes with {secure-agg}"),
            rule(c -> !c.secureAgg() || averaged(c),
                    c -> "{secure-agg} applies to fl, sflv1 and sflv2, whose fed server averages client models, not "
                            + "to " + c.scheme().id() + (c.scheme() == Scheme.SL
                            ? ", which relays W_C from client to client" : ", which has no clients")),
            rule(c -> !c.secureAgg() || c.dpFedAvg() == null,
                    c -> "{secure-agg} cannot go with {dp-fedavg}, which clips each client's update at the fed "
                            + "server, where secure aggregation never lets one be seen"),
            rule(c -> !c.secureAgg() || c.compress().lossless(),
                    c -> "{secure-agg} cannot go with the lossy {compress} " + c.compress().spec()
                            + ": masked inputs are uniform 32-bit integers, which a lossy codec would destroy"),
            rule(c -> !c.secureAgg() || c.participantsPerRound() >= 2,
                    c -> "{secure-agg} needs at least 2 clients a round, got " + c.participantsPerRound()),
            rule(c -> !c.secureAgg() || c.participantsPerRound() <= FixedPoint.MAX_SUMMANDS,
                    c -> "{secure-agg} sums at most " + FixedPoint.MAX_SUMMANDS + " clients a round, got "
                            + c.participantsPerRound()),
            rule(c -> !c.secureAgg() || c.secureAggDropoutsGiven() == null
                            || (c.secureAggDropouts() >= 0 && c.secureAggDropouts() <= (c.participantsPerRound() - 1) / 2),
                    c -> "{secure-agg-dropouts} must be in 0 to " + (c.participantsPerRound() - 1) / 2 + " for "
                            + c.participantsPerRound() + " clients a round (the threshold m - T must stay a majority), "
                            + "got " + c.secureAggDropouts()));

    private static final List<Rule> TIMING = List.of(
            rule(c -> c.deadline() > 0 || c.stragglers() == Stragglers.DROP,
                    c -> "{stragglers} goes with {deadline}"),
            rule(c -> c.deadline() == 0 || averaged(c),
                    c -> "{deadline} needs fl, sflv1 or sflv2, whose clients work in parallel, not " + c.scheme().id()),
            rule(c -> c.deadline() == 0 || !c.secureAgg(),
                    c -> "{deadline} cannot go with {secure-agg}: dropping stragglers after the key setup is not "
                            + "supported"),
            rule(c -> c.fedBuff() == null || c.scheme() == Scheme.FL || c.scheme() == Scheme.SFLV1,
                    c -> "{async} (FedBuff) supports fl and sflv1, not " + c.scheme().id()),
            rule(c -> c.fedBuff() == null || c.deadline() == 0,
                    c -> "{async} cannot go with {deadline}: FedBuff has no rounds to end at a deadline"),
            rule(c -> c.fedBuff() == null || (!c.secureAgg() && c.dpFedAvg() == null),
                    c -> "{async} cannot go with {secure-agg} or {dp-fedavg}, which need a round's updates together"),
            rule(c -> c.fedBuff() == null || c.dpSgd() == null,
                    c -> "{async} cannot go with {dp-sgd}: FedBuff's server steps keep no privacy ledger yet"),
            rule(c -> c.fedBuff() == null || c.fraction() == 1.0,
                    c -> "{async} replaces {fraction} by its concurrency=C; leave {fraction} at 1"),
            rule(c -> c.fedBuff() == null || c.fedBuff().concurrency() <= c.clients(),
                    c -> "async concurrency must be at most the " + c.clients() + " clients, got "
                            + c.fedBuff().concurrency()),
            rule(c -> c.fedBuff() == null || (!c.scaffold() && !c.personalHead()),
                    c -> "{async} cannot go with {scaffold} or {personal-head}, which keep state on the clients from "
                            + "one synchronous round to the next"),
            rule(c -> c.fedBuff() == null || c.personalHoldoutGiven() == null || c.personalHoldoutGiven() == 0,
                    c -> "{async} cannot go with {personal-holdout}: FedBuff's server steps do not evaluate the "
                            + "held-out samples"));

    private static final List<Rule> ROBUSTNESS = List.of(
            rule(c -> c.aggregator().isFedAvg() || averaged(c),
                    c -> "{aggregator} " + c.aggregator().spec() + " applies to fl, sflv1 and sflv2, whose fed server "
                            + "aggregates client updates, not to " + c.scheme().id()),
            rule(c -> c.aggregator().isFedAvg() || !c.secureAgg(),
                    c -> "{aggregator} " + c.aggregator().spec() + " cannot go with {secure-agg}, under which the fed "
                            + "server never sees the individual updates a robust rule compares"),
            rule(c -> c.aggregator().isFedAvg() || c.dpFedAvg() == null,
                    c -> "{aggregator} " + c.aggregator().spec() + " cannot go with {dp-fedavg}, which replaces the "
                            + "fed server's aggregation by its own clipped, noised mean"),
            // Under FedBuff a step aggregates the K buffered updates, not a round's participants.
            rule(c -> c.aggregator().isFedAvg() || updatesPerAggregation(c) >= c.aggregator().minimumUpdates(),
                    c -> "{aggregator} " + c.aggregator().spec() + " needs at least " + c.aggregator().minimumUpdates()
                            + " clients a round, got " + updatesPerAggregation(c)),
            rule(c -> c.malicious() == 0 || c.attack() != null,
                    c -> "{malicious} " + c.malicious() + " needs an {attack} to say what the malicious clients do"),
            rule(c -> c.attack() == null || c.scheme() != Scheme.CENTRAL,
                    c -> "{attack} needs clients to misbehave, and central has none"));

    private static final List<Rule> SCAFFOLD = List.of(
            rule(c -> !c.scaffold() || averaged(c),
                    c -> "{scaffold} corrects the drift of clients averaged by the fed server, so it applies to fl, "
                            + "sflv1 and sflv2, not to " + c.scheme().id()),
            rule(c -> !c.scaffold() || (c.optimizer().name().equalsIgnoreCase("sgd") && c.optimizer().momentum() == 0),
                    c -> "{scaffold} needs plain SGD ({optimizer} sgd {momentum} 0): its control variate "
                            + "(x - y_i) / (K lr) is the clients' mean gradient only when a step moves lr times the "
                            + "gradient; with momentum 0.9 it is about ten times too large and training diverges"),
            rule(c -> !c.scaffold() || !c.secureAgg(),
                    c -> "{scaffold} cannot go with {secure-agg}, which sums sample-weighted masked vectors, while the "
                            + "server's control variate needs each client's change in the clear"),
            rule(c -> !c.scaffold() || c.dpFedAvg() == null,
                    c -> "{scaffold} cannot go with {dp-fedavg}: the control variates would carry each client's "
                            + "unclipped, unnoised update past it"),
            rule(c -> !c.scaffold() || c.compress().lossless(),
                    c -> "{scaffold} cannot go with the lossy {compress} " + c.compress().spec()
                            + ": the control variates travel in float32 and their changes carry no error feedback"),
            rule(c -> !c.scaffold() || !c.personalHead(),
                    c -> "{scaffold} cannot go with {personal-head}: the control variates would cover the head, which "
                            + "never leaves the client"),
            rule(c -> !c.scaffold() || c.aggregator().isFedAvg(),
                    c -> "{scaffold} cannot go with {aggregator} " + c.aggregator().spec() + ": the server's control "
                            + "variate moves by the plain mean of the clients' changes, which one lying client could "
                            + "steer"),
            rule(c -> !c.scaffold() || c.attack() == null,
                    c -> "{scaffold} cannot go with {attack}: the attacks poison weights, not the control variate that "
                            + "travels with them"),
            rule(c -> !c.scaffold() || c.deadline() == 0 || c.scheme() != Scheme.SFLV2,
                    c -> "{scaffold} cannot go with {deadline} in sflv2, where a late client's control variate would "
                            + "move without the server counting its change"));

    private static final List<Rule> PERSONAL_HEAD = List.of(
            rule(c -> c.personalHoldoutGiven() == null || c.personalHoldoutGiven() == 0 || c.scheme() != Scheme.CENTRAL,
                    c -> "{personal-holdout} evaluates each client on its own samples, so central, which has no "
                            + "clients, cannot take it"),
            rule(c -> !c.personalHead() || c.scheme() != Scheme.CENTRAL,
                    c -> "{personal-head} keeps each client's last stage on that client, so it needs clients: fl, sl, "
                            + "sflv1 or sflv2, not central"),
            rule(c -> !c.personalHead() || !c.scheme().isSplit() || c.labels() == LabelSharing.PRIVATE,
                    c -> "{personal-head} in " + c.scheme().id() + " needs {labels} private: with shared labels the "
                            + "last stage lives on the main server"));

    private static final List<Rule> LOCAL_BN = List.of(
            rule(c -> !c.localBn() || averaged(c),
                    c -> "{local-bn} keeps each client's batch normalisation out of the fed server's average, so it "
                            + "needs fl, sflv1 or sflv2, not " + c.scheme().id() + (c.scheme() == Scheme.SL
                            ? ", which averages nothing" : ", which has no clients")),
            rule(c -> !c.localBn() || c.fedBuff() == null,
                    c -> "{async} cannot go with {local-bn}, which keeps values on the clients from one synchronous "
                            + "round to the next"),
            rule(c -> !c.localBn() || !"lenet5".equals(c.model()) && !"mlp".equals(c.model())
                            && !"next-word".equals(c.model()),
                    c -> "{local-bn} keeps each client's batch-normalisation layers, but model " + c.model()
                            + " has none; use {model} resnet18"));

    /** Every rule, in the order they are checked. */
    private static final List<List<Rule>> ALL = List.of(
            SCHEME_FEATURES, SECURE_AGGREGATION, TIMING, ROBUSTNESS, SCAFFOLD, PERSONAL_HEAD, LOCAL_BN);

    private Compatibility() {}

    /**
     * Checks every rule.
     *
     * @param config the configuration
     * @throws InvalidInputException with the first broken rule's sentence
     */
    static void check(SimulationConfig config) {
        for (List<Rule> feature : ALL) {
            for (Rule r : feature) {
                if (!r.holds().test(config)) {
                    throw new InvalidInputException(r.message().apply(config));
                }
            }
        }
    }
}
