package dev.splitfed.internal.role;

import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.aggregate.Aggregation;
import dev.splitfed.internal.aggregate.ServerOptimizer;
import dev.splitfed.model.Architecture;
import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.scheme.OptimizerSpec;
import dev.splitfed.internal.transport.Tensor;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The main server: holds the server-side layers W_S, trains them on the clients' smashed data and
 * returns the gradient at the cut (Thapa et al. 2022, "SplitFed: When Federated Learning Meets
 * Split Learning", Algorithms 1 and 2).
 *
 * <p>How W_S is kept while clients train is what sets the schemes apart, and each way has a factory
 * and a class of its own: {@link #perClient} ({@code sflv1}: a copy per participant, aggregated
 * when the round ends, with FedProx and SCAFFOLD if asked), {@link #shared} ({@code sl},
 * {@code sflv2}: one W_S updated batch after batch, whoever sends it) and {@link #buffered}
 * ({@code sflv1} under FedBuff: a copy per job, buffered when the job ends). This class checks
 * what arrives and trains a batch on the copy its subclass names.
 *
 * <p>With private labels (the U-shaped split; Vepakomma et al. 2018) W_S is only the middle
 * {@code [cut, stages - 1)}: a batch is a {@link #forward} that returns the middle's output and
 * keeps its graph, then a {@link #backward} with the gradient the client computed from its own
 * labels. A copy of W_S has at most one batch in flight.
 */
public abstract sealed class SplitMainServer implements MainServerNode
        permits PerClientMainServer, SharedMainServer, BufferedMainServer {

    final Architecture architecture;
    final int cut;
    final int end;
    final OptimizerSpec optimizerSpec;
    final RoundGate gate = new RoundGate();
    /** The live copies of W_S, by {@link #copyOf}. */
    final Map<Integer, ServerCopy> copies = new TreeMap<>();
    private final Deque<ModelPart> spare = new ArrayDeque<>();
    float[] global;
    private final double proxMu;
    private final int[] cutShape;

    SplitMainServer(Architecture architecture, SplitLayout layout, float[] initialWeights, OptimizerSpec optimizerSpec,
            double proxMu) {
        if (!(proxMu >= 0) || Double.isInfinite(proxMu)) {
            throw new IllegalArgumentException("proxMu must be finite and >= 0, got " + proxMu);
        }
        this.proxMu = proxMu;
        this.architecture = architecture;
        this.cut = architecture.checkCut(layout.cut());
        this.end = layout.serverEnd();
        this.optimizerSpec = optimizerSpec;
        this.global = initialWeights.clone();
        if (layout.serverSize() != global.length) {
            throw new IllegalArgumentException(
                    "initial weights have " + global.length + " values, W_S needs " + layout.serverSize());
        }
        try (ModelPart client = ModelPart.create(architecture, 0, cut)) {
            this.cutShape = client.outputShape();
        }
    }

    /**
     * Creates the main server of {@code sl} and {@code sflv2}: one W_S, updated batch after batch,
     * whoever sends it (never averaged, so it trains without FedProx's term).
     *
     * @param architecture the whole network
     * @param layout which stages this server holds: {@code [cut, serverEnd)}
     * @param initialWeights W_S before round 1
     * @param optimizerSpec the optimizer of each client's turn
     * @return the server
     */
    /** Returns the shape of one sample's smashed data, which clients send. */
    public int[] cutShape() {
        return cutShape.clone();
    }

    public static SplitMainServer shared(Architecture architecture, SplitLayout layout, float[] initialWeights,
            OptimizerSpec optimizerSpec) {
        return new SharedMainServer(architecture, layout, initialWeights, optimizerSpec);
    }

    /**
     * Creates the main server of {@code sflv1}: each participant trains its own copy of the
     * round's W_S, and the copies are aggregated, weighted by the samples each one saw, when the
     * round ends.
     *
     * @param architecture the whole network
     * @param layout which stages this server holds: {@code [cut, serverEnd)}
     * @param initialWeights W_S before round 1
     * @param optimizerSpec the optimizer each copy uses, fresh every round
     * @param aggregation how the copies are combined and applied
     * @return the server
     */
    public static SplitMainServer perClient(Architecture architecture, SplitLayout layout, float[] initialWeights,
            OptimizerSpec optimizerSpec, Aggregation aggregation) {
        return perClient(architecture, layout, initialWeights, optimizerSpec, aggregation, 0, 0);
    }

    /**
     * Creates the main server of {@code sflv1}, with FedProx and SCAFFOLD on its per-client copies if asked.
     *
     * @param architecture the whole network
     * @param layout which stages this server holds: {@code [cut, serverEnd)}
     * @param initialWeights W_S before round 1
     * @param optimizerSpec the optimizer each copy uses, fresh every round (SGD with SCAFFOLD)
     * @param aggregation how the copies are combined and applied
     * @param proxMu FedProx's mu for each copy, held near the round's W_S; {@code >= 0}
     * @param scaffoldClients N, every client of the run, for SCAFFOLD on the copies; 0 for none
     * @return the server
     */
    public static SplitMainServer perClient(Architecture architecture, SplitLayout layout, float[] initialWeights,
            OptimizerSpec optimizerSpec, Aggregation aggregation, double proxMu, int scaffoldClients) {
        return new PerClientMainServer(
                architecture, layout, initialWeights, optimizerSpec, aggregation, proxMu, scaffoldClients);
    }

    /**
     * Creates SFLV1's main server under asynchronous buffered aggregation (FedBuff; Nguyen et al. 2022).
     *
     * @param architecture the whole network
     * @param layout which stages this server holds
     * @param initialWeights W_S before the first step
     * @param optimizerSpec the optimizer each copy uses, fresh every job
     * @param aggregation how a step's buffered updates are combined and applied
     * @param proxMu FedProx's mu for each copy, held near the W_S its job started from; {@code >= 0}
     * @param lr eta, the server learning rate
     * @return the server
     */
    public static SplitMainServer buffered(Architecture architecture, SplitLayout layout, float[] initialWeights,
            OptimizerSpec optimizerSpec, Aggregation aggregation, double proxMu, double lr) {
        return new BufferedMainServer(architecture, layout, initialWeights, optimizerSpec, aggregation, proxMu, lr);
    }

    /** Returns the key in {@link #copies} of the copy that serves a client. */
    abstract int copyOf(int clientId);

    /** Checks a message's round (under FedBuff: its job) and returns the weights a new copy of W_S starts from. */
    float[] admit(int clientId, int round) {
        gate.check(clientId, round);
        return global;
    }

    /** Returns what SCAFFOLD adds to a client's gradients on its copy, or null (the default) to add nothing. */
    float[] correction(int clientId) {
        return null;
    }

    private ServerCopy copyFor(int clientId, float[] start) {
        return copies.computeIfAbsent(copyOf(clientId), k -> new ServerCopy(part(start), optimizerSpec, proxMu,
                this::correction));
    }

    /**
     * Returns W_S's stages holding {@code start}: a part an ended copy left, or a new one. Building
     * ResNet-18's server stages costs a fair share of a round, and SFLV1 needs one copy per client
     * every round, so ended copies' parts are kept for the next (as many as were ever live at once).
     */
    private ModelPart part(float[] start) {
        ModelPart part = spare.poll();
        if (part == null) {
            return ModelPart.create(architecture, cut, end, start);
        }
        part.setWeights(start);
        return part;
    }

    /** Ends a copy and keeps its model part for the next copy. */
    void end(ServerCopy copy) {
        spare.push(copy.detach());
    }

    @Override
    public synchronized void beginRound(int round, List<Integer> participants) {
        gate.open(round, participants);
        closeCopies();
    }

    @Override
    public final synchronized StepResult step(int clientId, int round, Tensor smashed, int[] labels) {
        float[] start = admit(clientId, round);
        if (end < architecture.stages()) {
            throw new InvalidInputException("client " + clientId + " sent labels, but this run keeps them on the "
                    + "clients ({labels} private): the main server takes smashed data alone");
        }
        checkBatch(clientId, smashed, labels);
        return copyFor(clientId, start).trainLabelled(clientId, round, smashed, labels);
    }

    /**
     * Runs the middle forward on a batch of smashed data (private labels) and keeps its graph for
     * the batch's {@link #backward}.
     */
    @Override
    public final synchronized Tensor forward(int clientId, int round, Tensor smashed) {
        float[] start = admit(clientId, round);
        if (end == architecture.stages()) {
            throw new InvalidInputException("client " + clientId + " sent smashed data without labels, but this run "
                    + "shares labels with the main server ({labels} shared)");
        }
        checkSmashed(clientId, smashed);
        return copyFor(clientId, start).forward(clientId, round, smashed);
    }

    /**
     * Back-propagates the client's gradient through the middle of its pending batch, steps the
     * optimizer and returns the cut-layer gradient.
     */
    @Override
    public final synchronized Tensor backward(int clientId, int round, Tensor gradient) {
        admit(clientId, round);
        ServerCopy copy = copies.get(copyOf(clientId));
        ForwardBackwardPairing.Forward<ServerCopy.Graph> pending = copy == null ? null : copy.pairing.due(clientId);
        if (pending == null) {
            throw new InvalidInputException(
                    "client " + clientId + " sent a gradient, but no batch of its smashed data awaits one");
        }
        if (!Arrays.equals(gradient.shape(), pending.middleShape())) {
            throw new InvalidInputException("client " + clientId + " sent a gradient of shape "
                    + Arrays.toString(gradient.shape()) + " for middle output of shape "
                    + Arrays.toString(pending.middleShape()));
        }
        Payloads.checkFinite("client " + clientId, "a middle-output gradient", gradient.data());
        return copy.backward(clientId, gradient);
    }

    /** Drops a batch the client left waiting for its gradient (a stream that broke off). */
    @Override
    public synchronized void finished(int clientId, int round) {
        dropPending(clientId);
    }

    void dropPending(int clientId) {
        ServerCopy copy = copies.get(copyOf(clientId));
        if (copy != null) {
            copy.dropPending(clientId);
        }
    }

    /** Closes and forgets the client's own copy of W_S, with any batch of it in flight. */
    void discardCopy(int clientId) {
        dropPending(clientId);
        ServerCopy copy = copies.remove(clientId);
        if (copy != null) {
            end(copy);
        }
    }

    /** Ends every copy, keeping their model parts for the next round's copies. */
    void closeCopies() {
        copies.values().forEach(this::end);
        copies.clear();
    }

    private void checkSmashed(int clientId, Tensor smashed) {
        int[] shape = smashed.shape();
        if (shape.length != cutShape.length + 1
                || !Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), cutShape)) {
            throw new InvalidInputException(
                    "client " + clientId + " sent smashed data of shape " + Arrays.toString(shape)
                            + ", expected [batch, " + Arrays.toString(cutShape).replaceAll("[\\[\\]]", "") + "]");
        }
        Payloads.checkFinite("client " + clientId, "smashed data", smashed.data());
    }

    private void checkBatch(int clientId, Tensor smashed, int[] labels) {
        checkSmashed(clientId, smashed);
        if (labels.length != smashed.rows()) {
            throw new InvalidInputException(
                    "client " + clientId + " sent " + labels.length + " labels for a batch of " + smashed.rows());
        }
        for (int label : labels) {
            if (label < 0 || label >= architecture.numClasses()) {
                throw new InvalidInputException(
                        "client " + clientId + " sent label " + label + ", expected 0 to " + (architecture.numClasses() - 1));
            }
        }
    }

    /**
     * Replaces W_S with the fed server's (a fresh run's, or a checkpoint's after a restart of
     * either server), abandoning any round in progress: the fed server will open it again. A
     * server optimizer starts afresh, since only W_S comes over.
     *
     * @param weights the new W_S
     */
    public synchronized void restore(float[] weights) {
        Payloads.checkWeights("the fed server", weights, global.length);
        closeCopies();
        gate.reset();
        global = weights.clone();
        optimizerRestarted();
    }

    /** Starts a server optimizer's state afresh after {@link #restore}; nothing to do without one. */
    void optimizerRestarted() {}

    /**
     * Returns the server optimizer with which SFLV1's copies are applied, whose state a checkpoint keeps.
     *
     * @throws IllegalStateException for one shared W_S, which is never aggregated
     */
    public abstract ServerOptimizer optimizer();

    @Override
    public synchronized float[] globalWeights() {
        return global.clone();
    }
}
