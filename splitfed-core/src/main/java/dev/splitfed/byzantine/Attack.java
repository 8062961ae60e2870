package dev.splitfed.byzantine;

import dev.splitfed.InvalidInputException;
import dev.splitfed.data.Dataset;
import dev.splitfed.internal.random.Seeds;
import dev.splitfed.internal.role.FedServer;
import dev.splitfed.internal.role.MainServer;
import dev.splitfed.internal.transport.Tensor;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * What a malicious client does, as {@code --attack} names it. With {@code start} the weights the
 * client downloaded and {@code trained} what honest training made of them, it hands in:
 *
 * <ul>
 *   <li>{@code label-flip}: its honest training on labels {@code y -> C - 1 - y} for C classes
 *       (Tolpegin et al. 2020, "Data Poisoning Attacks Against Federated Learning Systems";
 *       Fang et al. 2020, "Local Model Poisoning Attacks to Byzantine-Robust Federated Learning");
 *   <li>{@code sign-flip:S}: {@code start - S (trained - start)}, its update reversed and scaled by
 *       S (default 1);
 *   <li>{@code gaussian:SIGMA}: {@code start + N(0, SIGMA^2)} per value instead of any update
 *       (Blanchard et al. 2017's Gaussian Byzantine worker; default SIGMA 1);
 *   <li>{@code scale:X}: {@code start + X (trained - start)}, its update boosted by X (model
 *       replacement; Bagdasaryan et al. 2020, "How To Backdoor Federated Learning").
 * </ul>
 *
 * <p>In the split schemes the client also poisons the smashed data it sends the main server, so
 * that the main server's layers are attacked too: label-flip sends (or, with private labels,
 * trains its head on) the flipped labels; sign-flip sends {@code -S} times its activations,
 * gaussian adds {@code N(0, SIGMA^2)} to each value, scale multiplies them by X. The main server
 * answers with the gradient for what it received, and the client back-propagates that as if
 * honest.
 *
 * <p>Random draws are seeded from the run seed, the client and the round, so a simulation and a
 * deployment of the same run poison alike.
 *
 * @param kind the attack
 * @param parameter S, SIGMA or X; 0 for label-flip
 */
public record Attack(Kind kind, double parameter) {

    /** The attacks. */
    public enum Kind {
        /** Train on flipped labels. */
        LABEL_FLIP("label-flip"),
        /** Reverse (and scale) the update. */
        SIGN_FLIP("sign-flip"),
        /** Replace the update by Gaussian noise. */
        GAUSSIAN("gaussian"),
        /** Boost the update. */
        SCALE("scale");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** Returns the attack's name on the command line. */
        public String id() {
            return id;
        }
    }

    /** Checks the parameter. */
    public Attack {
        if (kind != Kind.LABEL_FLIP && !(Double.isFinite(parameter) && (kind == Kind.SCALE || parameter > 0))) {
            throw new IllegalArgumentException("the " + kind.id() + " parameter must be finite"
                    + (kind == Kind.SCALE ? "" : " and positive") + ", got " + parameter);
        }
    }

    /**
     * Returns the attack named by {@code spec}.
     *
     * @param spec {@code label-flip}, {@code sign-flip[:S]}, {@code gaussian[:SIGMA]} or
     *     {@code scale:X}, with S and SIGMA positive and X finite; case does not matter
     * @return the attack
     * @throws InvalidInputException if {@code spec} is none of these
     */
    public static Attack parse(String spec) {
        String trimmed = spec.strip();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        int colon = lower.indexOf(':');
        String name = colon < 0 ? lower : lower.substring(0, colon);
        String value = colon < 0 ? null : lower.substring(colon + 1);
        Kind kind = Arrays.stream(Kind.values()).filter(k -> k.id().equals(name)).findFirst().orElse(null);
        String usage = "label-flip, sign-flip[:S], gaussian[:SIGMA] or scale:X";
        if (kind == null) {
            throw new InvalidInputException("attack '" + trimmed + "' is not one of " + usage);
        }
        if (kind == Kind.LABEL_FLIP) {
            if (value != null) {
                throw new InvalidInputException("attack '" + trimmed + "': label-flip takes no parameter");
            }
            return new Attack(kind, 0);
        }
        if (value == null) {
            if (kind == Kind.SCALE) {
                throw new InvalidInputException("attack '" + trimmed + "' needs the factor X, e.g. scale:10");
            }
            return new Attack(kind, 1);
        }
        double number;
        try {
            number = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            number = Double.NaN;
        }
        if (!Double.isFinite(number) || (kind != Kind.SCALE && number <= 0)) {
            throw new InvalidInputException("attack '" + trimmed + "' needs " + (kind == Kind.SCALE
                    ? "X a finite number" : (kind == Kind.SIGN_FLIP ? "S" : "SIGMA") + " a positive finite number"));
        }
        return new Attack(kind, number);
    }

    /**
     * Returns the canonical name, which {@link #parse} turns back into an equal attack.
     *
     * @return e.g. {@code label-flip}, {@code sign-flip:10}, {@code gaussian:0.5}
     */
    public String spec() {
        return kind == Kind.LABEL_FLIP
                ? kind.id()
                : kind.id() + ":" + BigDecimal.valueOf(parameter).stripTrailingZeros().toPlainString();
    }

    /**
     * Returns which clients of a run are malicious: {@code count} ids drawn without replacement
     * from {@code 0 .. clients - 1} by a generator seeded from the run seed, in increasing order.
     * A simulation and every client of a deployment draw the same.
     *
     * @param count F, in {@code [0, clients]}
     * @param clients K
     * @param seed the run seed
     * @return the ids, sorted
     */
    public static List<Integer> malicious(int count, int clients, long seed) {
        if (count < 0 || count > clients) {
            throw new IllegalArgumentException("count must be in [0, " + clients + "], got " + count);
        }
        if (count == 0) {
            return List.of();
        }
        int[] drawn = new PermutationSampler(Seeds.rng(seed, "malicious"), clients, count).sample();
        Arrays.sort(drawn);
        return Arrays.stream(drawn).boxed().toList();
    }

    /**
     * Returns the data the client trains on: with label-flip, the same samples with every label
     * {@code y} replaced by {@code C - 1 - y} (the features are shared, not copied); otherwise
     * {@code data} itself.
     *
     * @param data the client's data, or the data set its indices point into
     * @return the data to train on
     */
    public Dataset data(Dataset data) {
        if (kind != Kind.LABEL_FLIP) {
            return data;
        }
        int classes = data.numClasses();
        return data.relabel(y -> classes - 1 - y);
    }

    /**
     * Returns what the client hands in instead of its trained weights.
     *
     * @param start the weights it downloaded
     * @param trained what its training made of them
     * @param rng where gaussian's noise comes from
     * @return a new vector
     */
    public float[] poisonWeights(float[] start, float[] trained, UniformRandomProvider rng) {
        float[] out = new float[start.length];
        switch (kind) {
            case LABEL_FLIP -> System.arraycopy(trained, 0, out, 0, out.length);
            case SIGN_FLIP -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) (start[i] - parameter * ((double) trained[i] - start[i]));
                }
            }
            case SCALE -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) (start[i] + parameter * ((double) trained[i] - start[i]));
                }
            }
            case GAUSSIAN -> {
                ContinuousSampler normal = ZigguratSampler.NormalizedGaussian.of(rng);
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) (start[i] + parameter * normal.sample());
                }
            }
        }
        return out;
    }

    /**
     * Returns the smashed data the client sends instead of its activations: {@code -S} times them
     * (sign-flip), plus {@code N(0, SIGMA^2)} per value (gaussian), X times them (scale), or
     * them unchanged (label-flip, which poisons the labels instead).
     *
     * @param smashed the client's activations at the cut
     * @param rng where gaussian's noise comes from
     * @return the tensor to send
     */
    public Tensor poisonSmashed(Tensor smashed, UniformRandomProvider rng) {
        float[] values = smashed.data();
        float[] out = new float[values.length];
        switch (kind) {
            case LABEL_FLIP -> System.arraycopy(values, 0, out, 0, out.length);
            case SIGN_FLIP -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) (-parameter * values[i]);
                }
            }
            case SCALE -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) (parameter * values[i]);
                }
            }
            case GAUSSIAN -> {
                ContinuousSampler normal = ZigguratSampler.NormalizedGaussian.of(rng);
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) (values[i] + parameter * normal.sample());
                }
            }
        }
        return new Tensor(smashed.shape(), out);
    }

    /**
     * Returns the fed server as a malicious client reaches it: what the client hands in is
     * poisoned; label-flip, whose poison is in the data, leaves it as it is.
     *
     * @param server the fed server
     * @param seed the run seed, for gaussian's noise
     * @return the poisoning fed server, or {@code server} for label-flip
     */
    public FedServer fedServer(FedServer server, long seed) {
        return kind == Kind.LABEL_FLIP ? server : new PoisonedFedServer(server, this, seed);
    }

    /**
     * Returns the main server as a malicious client reaches it: the smashed data the client sends
     * is poisoned; label-flip, whose poison is in the data, leaves it as it is.
     *
     * @param server the main server
     * @param seed the run seed, for gaussian's noise
     * @return the poisoning main server, or {@code server} for label-flip
     */
    public MainServer mainServer(MainServer server, long seed) {
        return kind == Kind.LABEL_FLIP ? server : new PoisonedMainServer(server, this, seed);
    }
}
