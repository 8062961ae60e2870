package dev.splitfed.hetero;

import dev.splitfed.InvalidInputException;
import dev.splitfed.cost.CostModel;
import dev.splitfed.cost.LinkRate;
import dev.splitfed.scheme.Scheme;

/**
 * The simulated seconds a client's work in a round takes. The simulation runs clients one after
 * another in one process, so their speeds are simulated, from fixed figures rather than measured
 * (a measured clock would make the deadline's decisions differ from run to run):
 *
 * <pre>
 *   fl, central        t_k(b) = fixed + b * s_k (c + m)
 *   sl, sflv1, sflv2   t_k(b) = fixed + b * (s_k c + m + link(bytes of one batch's smashed data, gradient, labels))
 *   fixed              = link(bytes of the weights down and up)
 * </pre>
 *
 * <p>for b batches, with s_k the client's slowdown ({@link DeviceSpeeds}), c and m the seconds
 * one batch of the client-side and of the server-side layers takes on a reference device (in
 * {@code fl} the client computes both; in the split schemes the main server computes its part at
 * reference speed), and link the transfer time at the link rate, from the {@link CostModel}'s
 * bytes (every batch counted as a full one). Without a link rate, communication takes no time.
 */
public final class TimeModel {

    private final double[] slowdowns;
    private final double[] perBatch;
    private final double fixed;

    /**
     * Creates the model.
     *
     * @param scheme the scheme
     * @param slowdowns s_k of every client
     * @param batchSeconds c and m: the reference seconds of one batch of the client-side and the
     *     server-side layers
     * @param link the clients' link, or null for communication that takes no time
     * @param cost the cost model of one local epoch at the run's batch size and codec
     */
    public TimeModel(Scheme scheme, double[] slowdowns, BatchSeconds batchSeconds, LinkRate link, CostModel cost) {
        this.slowdowns = slowdowns.clone();
        this.perBatch = new double[slowdowns.length];
        long weightBytes = cost.bytesUp(scheme, 0) + cost.bytesDown(scheme, 0);
        long batchBytes = cost.bytesUp(scheme, cost.batchSize()) + cost.bytesDown(scheme, cost.batchSize()) - weightBytes;
        this.fixed = link == null ? 0 : link.seconds(weightBytes);
        double batchLink = link == null ? 0 : link.seconds(batchBytes);
        for (int k = 0; k < slowdowns.length; k++) {
            perBatch[k] = scheme.isSplit()
                    ? slowdowns[k] * batchSeconds.client() + batchSeconds.server() + batchLink
                    : slowdowns[k] * (batchSeconds.client() + batchSeconds.server());
        }
    }

    /**
     * Returns client k's slowdown.
     *
     * @param clientId the client
     * @return s_k
     */
    public double slowdown(int clientId) {
        return slowdowns[clientId];
    }

    /**
     * Returns the simulated seconds client k takes to download, train {@code batches} batches and
     * hand in.
     *
     * @param clientId the client
     * @param batches the batches it trains
     * @return seconds
     */
    public double seconds(int clientId, long batches) {
        return fixed + batches * perBatch[clientId];
    }

    /**
     * Returns how many batches client k can train and still hand in by the deadline:
     * {@code floor((deadline - fixed) / perBatch)}, at least 0 and at most {@code batches}.
     *
     * @param clientId the client
     * @param batches the batches of its full round
     * @param deadline the round's deadline in simulated seconds
     * @return the batch budget
     */
    public long budget(int clientId, long batches, double deadline) {
        double fit = Math.floor((deadline - fixed) / perBatch[clientId]);
        if (!(fit > 0)) {
            return 0;
        }
        return (long) Math.min(batches, fit);
    }

    /**
     * The reference seconds of one batch: {@code CLIENT[,SERVER]} on the command line.
     *
     * @param client c, the client-side layers' seconds per batch, {@code > 0}
     * @param server m, the server-side layers' seconds per batch, {@code >= 0}
     */
    public record BatchSeconds(double client, double server) {

        /** The default: 3 ms each, half of the 6 ms a batch of 64 through LeNet-5 takes on the reference machine. */
        public static final BatchSeconds DEFAULT = new BatchSeconds(0.003, 0.003);

        /** Checks the values. */
        public BatchSeconds {
            if (!(client > 0) || Double.isInfinite(client) || !(server >= 0) || Double.isInfinite(server)) {
                throw new InvalidInputException("batch-seconds must be CLIENT[,SERVER] with CLIENT > 0 and "
                        + "SERVER >= 0 seconds, got " + client + "," + server);
            }
        }

        /**
         * Parses {@code CLIENT[,SERVER]} (SERVER 0 when left out).
         *
         * @param text e.g. {@code 0.003,0.003}
         * @return the figures
         * @throws InvalidInputException if the text is not one or two numbers
         */
        public static BatchSeconds parse(String text) {
            String[] parts = text.strip().split(",");
            try {
                if (parts.length == 1) {
                    return new BatchSeconds(Double.parseDouble(parts[0].strip()), 0);
                }
                if (parts.length == 2) {
                    return new BatchSeconds(Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip()));
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new InvalidInputException(
                    "batch-seconds '" + text + "' is not understood; expected CLIENT[,SERVER] seconds, e.g. 0.003,0.003");
        }

        /** Returns the spec this was parsed from. */
        public String spec() {
            return client + "," + server;
        }
    }
}
