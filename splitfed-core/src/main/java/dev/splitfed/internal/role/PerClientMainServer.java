package dev.splitfed.internal.role;

import dev.splitfed.internal.aggregate.Aggregation;
import dev.splitfed.aggregate.ClientUpdate;
import dev.splitfed.internal.aggregate.ControlVariate;
import dev.splitfed.internal.aggregate.ServerOptimizer;
import dev.splitfed.model.Architecture;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.scheme.OptimizerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SFLV1's main server: each participant trains its own copy of the round's W_S, and the copies are
 * aggregated, weighted by the samples each one saw, when the round ends (Thapa et al. 2022,
 * Algorithm 1). A client that drops out is left out of the aggregate.
 *
 * <p>With SCAFFOLD (Karimireddy et al. 2020) the main server, which trains the copies, also keeps
 * their control variates: c_S and every client's c_{S,i}, zero at the start. Each step of client
 * i's copy uses g - c_{S,i} + c_S; at the end of the round option II updates c_{S,i} of every copy
 * that trained, and c_S moves by (1/N) times the sum of their changes; W_S moves by the plain
 * (unweighted) mean of the copies' updates, as the fed server moves x. Nothing of it travels: the
 * clients never see W_S.
 */
final class PerClientMainServer extends SplitMainServer {

    private final Aggregation aggregation;
    /** N for SCAFFOLD, 0 without it. */
    private final int scaffoldClients;
    private final Map<Integer, ControlVariate> clientVariates = new TreeMap<>();
    private final float[] serverVariate;

    PerClientMainServer(Architecture architecture, SplitLayout layout, float[] initialWeights,
            OptimizerSpec optimizerSpec, Aggregation aggregation, double proxMu, int scaffoldClients) {
        super(architecture, layout, initialWeights, optimizerSpec, checkScaffold(scaffoldClients, proxMu));
        this.aggregation = aggregation;
        this.scaffoldClients = scaffoldClients;
        this.serverVariate = new float[layout.serverSize()];
    }

    /** Checks N before the rest; returns mu. */
    private static double checkScaffold(int scaffoldClients, double proxMu) {
        if (scaffoldClients < 0) {
            throw new IllegalArgumentException("SCAFFOLD on the main server needs per-client copies and N >= 1");
        }
        return proxMu;
    }

    @Override
    int copyOf(int clientId) {
        return clientId;
    }

    /** Returns c_S - c_{S,i}, which SCAFFOLD adds to client i's gradients; null without SCAFFOLD. */
    @Override
    float[] correction(int clientId) {
        if (scaffoldClients == 0) {
            return null;
        }
        ControlVariate ci = clientVariates.get(clientId);
        return ci == null ? serverVariate : ci.correction(serverVariate);
    }

    /**
     * Leaves a client that dropped out of the round out of the aggregation: its copy of W_S saw
     * only part of its data, and its W_C never reached the fed server.
     *
     * @param clientId the client
     */
    @Override
    public synchronized void discard(int clientId) {
        gate.exclude(clientId);
        discardCopy(clientId);
    }

    @Override
    public synchronized void endRound() {
        gate.close();
        List<ClientUpdate> updates = new ArrayList<>();
        double[] deltaSum = new double[serverVariate.length];
        for (Map.Entry<Integer, ServerCopy> e : copies.entrySet()) {
            ServerCopy copy = e.getValue();
            if (copy.samples > 0) {
                float[] trained = copy.model.weights();
                // SCAFFOLD moves x by the plain mean of the updates, as it moves c (Karimireddy et
                // al. 2020, Algorithm 1, lines 16-17): every copy weighs one.
                updates.add(ClientUpdate.between(e.getKey(), trained, global, scaffoldClients > 0 ? 1 : copy.samples));
                if (scaffoldClients > 0) {
                    float[] delta = clientVariates.computeIfAbsent(e.getKey(), k -> new ControlVariate(global.length))
                            .update(global, trained, serverVariate, copy.steps, optimizerSpec.learningRate());
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
        closeCopies();
    }

    @Override
    void optimizerRestarted() {
        aggregation.optimizer().restore(new float[0]);
    }

    @Override
    public ServerOptimizer optimizer() {
        return aggregation.optimizer();
    }
}
