package dev.splitfed.aggregate;

import dev.splitfed.internal.aggregate.AdaptiveServerOptimizer;
import dev.splitfed.internal.aggregate.FedAvg;
import dev.splitfed.internal.aggregate.ServerMomentum;
import dev.splitfed.internal.aggregate.ServerOptimizer;
import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.privacy.SpecFields;
import java.util.Locale;
import java.util.Set;

/**
 * Which server optimizer applies a round's aggregated update, and its settings: the
 * {@code --strategy} option. Plain FedAvg adds the update; FedAvgM and the adaptive optimizers of
 * Reddi et al. 2021 (Algorithm 2) treat it as a negative pseudo-gradient.
 *
 * <p>Defaults: FedAvgM lr 1, momentum 0.9 (Hsu et al. 2019). FedAdam, FedYogi, FedAdagrad: beta1
 * 0.9 and beta2 0.99, the values Reddi et al. fix throughout, tau 1e-3 and lr 0.01 (both tuned per
 * task in the paper; ours are starting points to tune).
 *
 * @param name which optimizer
 * @param learningRate eta, the server learning rate (1 for plain FedAvg)
 * @param momentum FedAvgM's beta (0 otherwise)
 * @param beta1 the adaptive optimizers' first-moment decay (0 otherwise)
 * @param beta2 FedAdam's and FedYogi's second-moment decay (0 otherwise)
 * @param tau the adaptive optimizers' degree of adaptivity (0 otherwise)
 */
public record Strategy(Name name, double learningRate, double momentum, double beta1, double beta2, double tau) {

    /** The optimizers {@code --strategy} names. */
    public enum Name {
        /** Plain FedAvg: {@code x + Δ}. */
        FEDAVG,
        /** Server momentum. */
        FEDAVGM,
        /** Adam on the pseudo-gradient. */
        FEDADAM,
        /** Yogi on the pseudo-gradient. */
        FEDYOGI,
        /** Adagrad on the pseudo-gradient. */
        FEDADAGRAD;

        /** Returns the name as {@code --strategy} spells it. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Plain FedAvg, the default. */
    public static final Strategy FEDAVG = new Strategy(Name.FEDAVG, 1, 0, 0, 0, 0);

    /** Checks the values. */
    public Strategy {
        if (name == null || !(learningRate > 0 && Double.isFinite(learningRate)) || !(momentum >= 0 && momentum < 1)
                || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(tau >= 0 && Double.isFinite(tau))) {
            throw new InvalidInputException("{strategy} needs a name, a positive finite lr, momentum, b1 and b2 in "
                    + "[0, 1) and a non-negative tau, got " + name + " lr " + learningRate + ", momentum " + momentum
                    + ", b1 " + beta1 + ", b2 " + beta2 + ", tau " + tau);
        }
        if ((name == Name.FEDADAM || name == Name.FEDYOGI || name == Name.FEDADAGRAD) && !(tau > 0)) {
            throw new InvalidInputException("{strategy} " + name.id() + " needs tau > 0, got " + tau);
        }
    }

    /**
     * Reads {@code fedavg}, {@code fedavgm[:lr=ETA,momentum=BETA]},
     * {@code fedadam|fedyogi[:lr=ETA,b1=BETA1,b2=BETA2,tau=TAU]} or
     * {@code fedadagrad[:lr=ETA,b1=BETA1,tau=TAU]}; a field left out takes its default.
     *
     * @param spec the spec
     * @return the strategy
     * @throws InvalidInputException naming what is wrong
     */
    public static Strategy parse(String spec) {
        String text = spec.strip();
        int colon = text.indexOf(':');
        String id = (colon < 0 ? text : text.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
        Name name = null;
        for (Name n : Name.values()) {
            if (n.id().equals(id)) {
                name = n;
            }
        }
        if (name == null) {
            throw new InvalidInputException(
                    "unknown {strategy} '" + spec + "'; expected fedavg, fedavgm, fedadam, fedyogi or fedadagrad");
        }
        Set<String> known = switch (name) {
            case FEDAVG -> Set.of();
            case FEDAVGM -> Set.of("lr", "momentum");
            case FEDADAM, FEDYOGI -> Set.of("lr", "b1", "b2", "tau");
            case FEDADAGRAD -> Set.of("lr", "b1", "tau");
        };
        if (colon >= 0 && text.substring(colon + 1).isBlank()) {
            throw new InvalidInputException("{strategy} '" + spec + "' has a ':' but no settings after it");
        }
        if (colon >= 0 && known.isEmpty()) {
            throw new InvalidInputException("{strategy} fedavg takes no settings, got '" + spec + "'");
        }
        SpecFields f = SpecFields.parse("{strategy}", colon < 0 ? "" : text.substring(colon + 1), known);
        return switch (name) {
            case FEDAVG -> FEDAVG;
            case FEDAVGM -> new Strategy(name, f.positive("lr", 1), f.fraction("momentum", 0.9), 0, 0, 0);
            case FEDADAM, FEDYOGI -> new Strategy(name, f.positive("lr", 0.01), 0, f.fraction("b1", 0.9),
                    f.fraction("b2", 0.99), f.positive("tau", 1e-3));
            case FEDADAGRAD -> new Strategy(name, f.positive("lr", 0.01), 0, f.fraction("b1", 0.9), 0,
                    f.positive("tau", 1e-3));
        };
    }

    /** Returns the spec that {@link #parse} reads back into an equal strategy. */
    public String spec() {
        return switch (name) {
            case FEDAVG -> "fedavg";
            case FEDAVGM -> "fedavgm:lr=" + learningRate + ",momentum=" + momentum;
            case FEDADAM, FEDYOGI -> name.id() + ":lr=" + learningRate + ",b1=" + beta1 + ",b2=" + beta2 + ",tau=" + tau;
            case FEDADAGRAD -> "fedadagrad:lr=" + learningRate + ",b1=" + beta1 + ",tau=" + tau;
        };
    }

    /** Returns whether this is plain FedAvg, which keeps no state. */
    public boolean plain() {
        return name == Name.FEDAVG;
    }

    /** Returns a new optimizer of this strategy with fresh state. */
    public ServerOptimizer newOptimizer() {
        return switch (name) {
            case FEDAVG -> ServerOptimizer.plain();
            case FEDAVGM -> new ServerMomentum(learningRate, momentum);
            case FEDADAM -> new AdaptiveServerOptimizer(AdaptiveServerOptimizer.Rule.ADAM, learningRate, beta1, beta2, tau);
            case FEDYOGI -> new AdaptiveServerOptimizer(AdaptiveServerOptimizer.Rule.YOGI, learningRate, beta1, beta2, tau);
            case FEDADAGRAD ->
                    new AdaptiveServerOptimizer(AdaptiveServerOptimizer.Rule.ADAGRAD, learningRate, beta1, 0, tau);
        };
    }
}
