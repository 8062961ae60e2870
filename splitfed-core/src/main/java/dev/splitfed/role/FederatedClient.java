package dev.splitfed.role;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import dev.splitfed.data.Dataset;
import dev.splitfed.engine.Torch;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.SplitModel;
import dev.splitfed.train.Batches;
import dev.splitfed.train.CrossEntropy;
import dev.splitfed.train.LocalTraining;

/**
 * A client of {@code fl} (FedAvg; McMahan et al. 2017): it downloads the whole model, trains it on
 * its own data and hands the result to the fed server. With all the data and nobody else, it is
 * also the single party of {@code central}.
 */
public final class FederatedClient implements Client {

    private final int id;
    private final Dataset data;
    private final int[] indices;
    private final Architecture architecture;
    private final int cut;
    private final LocalTraining training;
    private final FedServer fedServer;
    private final ProgressListener progress;

    /**
     * Creates a client.
     *
     * @param id the client's id
     * @param data the data set its indices point into
     * @param indices the samples this client holds
     * @param architecture the whole network
     * @param cut the cut that fixes the weight layout (client-side values first)
     * @param training local epochs, batch size, optimizer, seed
     * @param fedServer where the model comes from and goes back to
     * @param progress told after every batch
     */
    public FederatedClient(
            int id,
            Dataset data,
            int[] indices,
            Architecture architecture,
            int cut,
            LocalTraining training,
            FedServer fedServer,
            ProgressListener progress) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("client " + id + " holds no samples");
        }
        this.id = id;
        this.data = data;
        this.indices = indices.clone();
        this.architecture = architecture;
        this.cut = architecture.checkCut(cut);

        this.training = training;
        this.fedServer = fedServer;
        this.progress = progress;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public int samples() {
        return indices.length;
    }

    @Override
    public ClientReport train(int round) {
        float[] start = fedServer.download(id, round);
        long seen = 0;
        double lossSum = 0;
        try (SplitModel model = SplitModel.create(architecture, cut)) {
            model.setWeights(Payloads.checkWeights("the fed server", start, model.size()));
            Optimizer optimizer = training.optimizer().newOptimizer();
            for (int epoch = 0; epoch < training.localEpochs(); epoch++) {
                Batches batches = training.epoch(data, indices, id, round, epoch);
                while (batches.next()) {
                    lossSum += (double) trainBatch(model, optimizer, batches, round) * batches.size();
                    seen += batches.size();
                    progress.batchDone();
                }
            }
            fedServer.submit(id, round, Payloads.checkTrained(model.weights(), id, round), indices.length);
        }
        return new ClientReport(id, seen, lossSum);
    }

    private float trainBatch(SplitModel model, Optimizer optimizer, Batches batches, int round) {
        try (NDManager scope = model.client().manager().newSubManager();
                Torch.GradScope recording = Torch.record()) {
            NDArray logits = model.forward(batches.features(scope), true);
            NDArray loss = CrossEntropy.mean(logits, CrossEntropy.labels(scope, batches.labels(), batches.size()));
            float value = Payloads.checkLoss(loss.getFloat(), id, round);
            Torch.backward(loss, scope.ones(loss.getShape()));
            model.step(optimizer);
            return value;
        }
    }
}
