package dev.splitfed.role;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import dev.splitfed.InvalidInputException;
import dev.splitfed.aggregate.Aggregation;
import dev.splitfed.aggregate.ClientUpdate;
import dev.splitfed.aggregate.ControlVariate;
import dev.splitfed.aggregate.FedBuff;
import dev.splitfed.aggregate.ServerOptimizer;
import dev.splitfed.engine.Shapes;
import dev.splitfed.engine.Torch;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.model.ModelPart;
import dev.splitfed.model.SplitLayout;
import dev.splitfed.train.CrossEntropy;
import dev.splitfed.train.OptimizerSpec;
import dev.splitfed.train.ProximalOptimizer;
import dev.splitfed.transport.Tensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The main server: holds the server-side layers W_S, trains them on the clients' smashed data and
 * returns the gradient at the cut (Thapa et al. 2022, "SplitFed: When Federated Learning Meets
 * Split Learning", Algorithms 1 and 2).
 *
 * <p>With per-client copies ({@code sflv1}) each participant trains its own copy of the round's
 * W_S and the copies are aggregated, weighted by the samples each one saw, when the round ends.
 * Otherwise ({@code sl}, {@code sflv2}) one W_S is updated batch after batch, whoever sends it.
 *
 * <p>With private labels (the U-shaped split; Vepakomma et al. 2018) W_S is only the middle
 * {@code [cut, stages - 1)}: a batch is a {@link #forward} that returns the middle's output and
 * keeps its graph, then a {@link #backward} with the gradient the client computed from its own
 * labels. A copy of W_S has at most one batch in flight.
 *
 * <p>Under FedBuff ({@link #buffered}; {@code sflv1} only) there are no rounds: a client's copy of
 * W_S starts from the W_S of its job's start, and when the job is done its update is buffered and
 * applied with the others' ({@link FedBuff}), as the fed server does with W_C.
 *
 * <p>With SCAFFOLD (Karimireddy et al. 2020) and per-client copies, the main server, which trains
 * them, also keeps their control variates: c_S and every client's c_{S,i}, zero at the start. Each
 * step of client i's copy uses g - c_{S,i} + c_S; at the end of the round option II updates c_{S,i}
 * of every copy that trained, and c_S moves by (1/N) times the sum of their changes. Nothing of it
 * travels: the clients never see W_S.
 */
public final class SplitMainServer implements MainServerNode, AsyncControl {

    private final Architecture architecture;
    private final int cut;
    private final int end;
    private final OptimizerSpec optimizerSpec;
    private final boolean perClientCopies;
    private final Aggregation aggregation;
    private final double proxMu;
    private final int[] cutShape;
    private final RoundGate gate = new RoundGate();
    private final Map<Integer, Replica> replicas = new TreeMap<>();
    private final FedBuff fedBuff;
    /** N for SCAFFOLD on the per-client copies, 0 without SCAFFOLD. */
    private final int scaffoldClients;
    private final Map<Integer, ControlVariate> clientVariates = new TreeMap<>();
    private float[] serverVariate;
    private float[] global;

    /**
     * Creates the main server of a run with shared labels.
     *
     * @param architecture the whole network
     * @param cut where it is split; this server holds stages {@code [cut, stages)}
     * @param initialWeights W_S before round 1
     * @param optimizerSpec the optimizer each model copy uses, fresh every round
     * @param perClientCopies true for SFLV1 (a copy per client, aggregated each round)
     * @param aggregation how SFLV1's copies are combined and applied
     */
    public SplitMainServer(
            Architecture architecture,
            int cut,
            float[] initialWeights,
            OptimizerSpec optimizerSpec,
            boolean perClientCopies,
            Aggregation aggregation) {
        this(architecture, SplitLayout.of(architecture, cut, LabelSharing.SHARED), initialWeights, optimizerSpec,
                perClientCopies, aggregation);
    }

    /**
     * Creates the main server.
     *
     * @param architecture the whole network
     * @param layout which stages this server holds: {@code [cut, serverEnd)}
     * @param initialWeights W_S before round 1
     * @param optimizerSpec the optimizer each model copy uses, fresh every round
     * @param perClientCopies true for SFLV1 (a copy per client, aggregated each round)
     * @param aggregation how SFLV1's copies are combined and applied
     */
    public SplitMainServer(
            Architecture architecture,
            SplitLayout layout,
            float[] initialWeights,
            OptimizerSpec optimizerSpec,
            boolean perClientCopies,
            Aggregation aggregation) {
        this(architecture, layout, initialWeights, optimizerSpec, perClientCopies, aggregation, 0, 0);
    }

    /**
     * Creates the main server, with FedProx and SCAFFOLD on SFLV1's per-client copies if asked.
     *
     * @param architecture the whole network
     * @param layout which stages this server holds: {@code [cut, serverEnd)}
     * @param initialWeights W_S before round 1
     * @param optimizerSpec the optimizer each model copy uses, fresh every round (SGD with SCAFFOLD)
     * @param perClientCopies true for SFLV1 (a copy per client, aggregated each round)
     * @param aggregation how SFLV1's copies are combined and applied
     * @param proxMu FedProx's mu for SFLV1's copies, each held near the round's W_S; {@code >= 0}
     *     (one shared W_S is never averaged, so it trains without the term)
     * @param scaffoldClients N, every client of the run, for SCAFFOLD on the per-client copies; 0 for none
     */
    public SplitMainServer(
            Architecture architecture,
            SplitLayout layout,
            float[] initialWeights,
            OptimizerSpec optimizerSpec,
            boolean perClientCopies,
            Aggregation aggregation,
            double proxMu,
            int scaffoldClients) {
        this(architecture, layout, initialWeights, optimizerSpec, perClientCopies, aggregation, proxMu, scaffoldClients,
                null);
    }

    private SplitMainServer(
            Architecture architecture,
            SplitLayout layout,
            float[] initialWeights,
            OptimizerSpec optimizerSpec,
            boolean perClientCopies,
            Aggregation aggregation,
            double proxMu,
            int scaffoldClients,
            FedBuff fedBuff) {
        this.fedBuff = fedBuff;
        if (scaffoldClients < 0 || (scaffoldClients > 0 && !perClientCopies)) {
            throw new IllegalArgumentException("SCAFFOLD on the main server needs per-client copies and N >= 1");
        }
        if (!(proxMu >= 0) || Double.isInfinite(proxMu)) {
            throw new IllegalArgumentException("proxMu must be finite and >= 0, got " + proxMu);
        }
        this.proxMu = perClientCopies ? proxMu : 0;
        this.scaffoldClients = scaffoldClients;
        this.serverVariate = new float[layout.serverSize()];
        this.architecture = architecture;
        this.cut = architecture.checkCut(layout.cut());
        this.end = layout.serverEnd();
        this.optimizerSpec = optimizerSpec;
        this.perClientCopies = perClientCopies;
        this.aggregation = aggregation;
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
        return new SplitMainServer(
                architecture, layout, initialWeights, optimizerSpec, true, aggregation, proxMu, 0, new FedBuff(lr));
    }

    @Override
    public synchronized void start(int clientId, int job) {
        buffering();
        discardReplica(clientId);
        fedBuff.start(clientId, job, global);
    }

    @Override
    public synchronized void arrived(int clientId) {
        buffering();
        Replica replica = replicas.remove(clientId);
        if (replica == null || replica.samples == 0) {
            fedBuff.forget(clientId);
        } else {
            fedBuff.arrived(clientId, replica.model.weights(), replica.samples);
        }
        if (replica != null) {
            replica.model.close();
        }
    }

    @Override
    public synchronized void step() {
        buffering();
        global = fedBuff.step(global, aggregation);
    }

    private void buffering() {
        if (fedBuff == null) {
            throw new IllegalStateException("this main server aggregates in rounds, not asynchronously");
        }
    }

    /** Checks a message's round, or under FedBuff its job, and returns the weights a new copy of W_S starts from. */
    private float[] admit(int clientId, int round) {
        if (fedBuff != null) {
            return fedBuff.startWeights(clientId, round);
        }
        gate.check(clientId, round);
        return global;
    }

    @Override
    public synchronized void beginRound(int round, List<Integer> participants) {
        gate.open(round, participants);
        closeReplicas();
    }

    @Override
    public synchronized StepResult step(int clientId, int round, Tensor smashed, int[] labels) {
        float[] start = admit(clientId, round);
        if (end < architecture.stages()) {
            throw new InvalidInputException("client " + clientId + " sent labels, but this run keeps them on the "
                    + "clients (--labels private): the main server takes smashed data alone");
        }
        checkBatch(clientId, smashed, labels);
        Replica replica = replicas.computeIfAbsent(perClientCopies ? clientId : -1, k -> new Replica(start));
        int batch = smashed.rows();
        ModelPart model = replica.model;
        try (NDManager scope = model.manager().newSubManager();
                Torch.GradScope recording = Torch.record()) {
            NDArray input = scope.create(FloatBuffer.wrap(smashed.data()), Shapes.of(smashed.shape()));
            input.setRequiresGradient(true);
            NDArray loss = CrossEntropy.mean(model.forward(input, true), CrossEntropy.labels(scope, labels, batch));
            float lossValue = Payloads.checkLoss(loss.getFloat(), clientId, round);
            Torch.backward(loss, scope.ones(loss.getShape()));
            float[] gradient;
            try (NDArray g = input.getGradient()) {
                gradient = g.toFloatArray();
            }
            replica.step(clientId);
            replica.samples += batch;
            return new StepResult(new Tensor(smashed.shape(), gradient), lossValue);
        }
    }

    /**
     * Runs the middle forward on a batch of smashed data (private labels) and keeps its graph for
     * the batch's {@link #backward}.
     */
    @Override
    public synchronized Tensor forward(int clientId, int round, Tensor smashed) {
        float[] start = admit(clientId, round);
        if (end == architecture.stages()) {
            throw new InvalidInputException("client " + clientId + " sent smashed data without labels, but this run "
                    + "shares labels with the main server (--labels shared)");
        }
        checkSmashed(clientId, smashed);
        Replica replica = replicas.computeIfAbsent(perClientCopies ? clientId : -1, k -> new Replica(start));
        if (replica.pending != null) {
            throw new InvalidInputException(replica.pending.clientId == clientId
                    ? "client " + clientId + " sent smashed data before the gradient of its previous batch"
                    : "client " + clientId + " sent smashed data while the main server awaits client "
                            + replica.pending.clientId + "'s gradient");
        }
        NDManager scope = replica.model.manager().newSubManager();
        try (Torch.GradScope recording = Torch.record()) {
            NDArray input = scope.create(FloatBuffer.wrap(smashed.data()), Shapes.of(smashed.shape()));
            input.setRequiresGradient(true);
            NDArray output = replica.model.forward(input, true);
            float[] values = output.toFloatArray();
            if (!Payloads.allFinite(values)) {
                throw new InvalidInputException("training diverged: the middle layers' output for client " + clientId
                        + " in round " + round + " holds NaN or infinite values; try a smaller learning rate (--lr)");
            }
            int[] shape = Shapes.toInts(output.getShape());
            replica.pending = new Pending(clientId, scope, input, output, shape);
            return new Tensor(shape, values);
        } catch (RuntimeException e) {
            scope.close();
            throw e;
        }
    }

    /**
     * Back-propagates the client's gradient through the middle of its pending batch, steps the
     * optimizer and returns the cut-layer gradient.
     */
    @Override
    public synchronized Tensor backward(int clientId, int round, Tensor gradient) {
        admit(clientId, round);
        Replica replica = replicas.get(perClientCopies ? clientId : -1);
        Pending pending = replica == null ? null : replica.pending;
        if (pending == null || pending.clientId != clientId) {
            throw new InvalidInputException(
                    "client " + clientId + " sent a gradient, but no batch of its smashed data awaits one");
        }
        if (!Arrays.equals(gradient.shape(), pending.outputShape)) {
            throw new InvalidInputException("client " + clientId + " sent a gradient of shape "
                    + Arrays.toString(gradient.shape()) + " for middle output of shape "
                    + Arrays.toString(pending.outputShape));
        }
        Payloads.checkFinite("client " + clientId, "a middle-output gradient", gradient.data());
        replica.pending = null;
        try (NDManager scope = pending.scope) {
            NDArray g = scope.create(FloatBuffer.wrap(gradient.data()), pending.output.getShape());
            Torch.backward(pending.output, g);
            float[] cutGradient;
            try (NDArray d = pending.input.getGradient()) {
                cutGradient = d.toFloatArray();
            }
            replica.step(clientId);
            replica.samples += gradient.rows();
            return new Tensor(Shapes.toInts(pending.input.getShape()), cutGradient);
        }
    }

    /** Drops a batch the client left waiting for its gradient (a stream that broke off). */
    @Override
    public synchronized void finished(int clientId, int round) {
        dropPending(clientId);
    }

    private void dropPending(int clientId) {
        Replica replica = replicas.get(perClientCopies ? clientId : -1);
        if (replica != null && replica.pending != null && replica.pending.clientId == clientId) {
            replica.pending.scope.close();
            replica.pending = null;
        }
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
     * Leaves a client that dropped out of the round out of SFLV1's aggregation: its copy of W_S saw
     * only part of its data, and its W_C never reached the fed server. (One shared W_S keeps the
     * batches it already trained on.)
     *
     * @param clientId the client
     */
    @Override
    public synchronized void discard(int clientId) {
        if (fedBuff != null) {
            fedBuff.forget(clientId);
            discardReplica(clientId);
            return;
        }
        gate.exclude(clientId);
        dropPending(clientId);
        if (perClientCopies) {
            discardReplica(clientId);
        }
    }

    private void discardReplica(int clientId) {
        dropPending(clientId);
        Replica replica = replicas.remove(clientId);
        if (replica != null) {
            replica.model.close();
        }
    }

    @Override
    public synchronized void endRound() {
        gate.close();
        if (perClientCopies) {
            List<ClientUpdate> updates = new ArrayList<>();
            double[] deltaSum = new double[serverVariate.length];
            for (Map.Entry<Integer, Replica> e : replicas.entrySet()) {
                if (e.getValue().samples > 0) {
                    float[] trained = e.getValue().model.weights();
                    updates.add(ClientUpdate.between(e.getKey(), trained, global, e.getValue().samples));
                    if (scaffoldClients > 0) {
                        float[] delta = clientVariates.computeIfAbsent(e.getKey(), k -> new ControlVariate(global.length))
                                .update(global, trained, serverVariate, e.getValue().steps, optimizerSpec.learningRate());
                        for (int j = 0; j < delta.length; j++) {
                            deltaSum[j] += delta[j];
                        }
                    }
                }
            }
            global = aggregation.apply(global, updates);
            if (scaffoldClients > 0) {
                for (int j = 0; j < serverVariate.length; j++) {
                    serverVariate[j] = (float) (serverVariate[j] + deltaSum[j] / scaffoldClients);
                }
            }
        } else {
            Replica shared = replicas.get(-1);
            if (shared != null) {
                global = shared.model.weights();
            }
        }
        closeReplicas();
    }

    /**
     * Replaces W_S with the fed server's (a fresh run's, or a checkpoint's after a restart of
     * either server), abandoning any round in progress: the fed server will open it again. The
     * server optimizer of SFLV1's aggregation starts afresh, since only W_S comes over.
     *
     * @param weights the new W_S
     */
    public synchronized void restore(float[] weights) {
        Payloads.checkWeights("the fed server", weights, global.length);
        closeReplicas();
        gate.reset();
        global = weights.clone();
        // The fed server hands over W_S alone: a server optimizer's state starts afresh.
        aggregation.optimizer().restore(new float[0]);
    }

    /** Returns the server optimizer of SFLV1's aggregation, whose state a checkpoint keeps. */
    public ServerOptimizer optimizer() {
        return aggregation.optimizer();
    }

    @Override
    public synchronized float[] globalWeights() {
        return global.clone();
    }

    private void closeReplicas() {
        replicas.values().forEach(r -> r.model.close());
        replicas.clear();
    }

    /**
     * A live copy of W_S for the round. Its optimizer state starts afresh with each client's turn,
     * as a client's own optimizer does (and as the plain-PyTorch reference does for sl and sflv2).
     */
    private final class Replica {
        final ModelPart model;
        Optimizer optimizer;
        int serving = -1;
        long samples;
        long steps;
        Pending pending;

        Replica(float[] start) {
            model = ModelPart.create(architecture, cut, end, start);
        }

        /**
         * Steps the copy with the batch's gradients: as they are, or with SCAFFOLD corrected to
         * g - c_{S,i} + c_S (Karimireddy et al. 2020, Algorithm 1, line 10).
         */
        void step(int clientId) {
            steps++;
            if (scaffoldClients == 0) {
                model.step(optimizerFor(clientId));
                return;
            }
            float[] gradient = model.gradients();
            model.clearGradients();
            ControlVariate ci = clientVariates.get(clientId);
            float[] correction = ci == null ? serverVariate : ci.correction(serverVariate);
            for (int j = 0; j < gradient.length; j++) {
                gradient[j] += correction[j];
            }
            model.step(optimizerFor(clientId), gradient);
        }

        Optimizer optimizerFor(int clientId) {
            if (clientId != serving) {
                optimizer = ProximalOptimizer.of(optimizerSpec, proxMu);
                serving = clientId;
            }
            return optimizer;
        }
    }

    /** A batch whose middle forward awaits the client's gradient (private labels). */
    private record Pending(int clientId, NDManager scope, NDArray input, NDArray output, int[] outputShape) {}
}
