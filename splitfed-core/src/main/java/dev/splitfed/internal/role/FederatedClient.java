package dev.splitfed.internal.role;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.optimizer.Optimizer;
import dev.splitfed.data.Dataset;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.model.Architecture;
import dev.splitfed.internal.model.SplitModel;
import dev.splitfed.internal.train.Batches;
import dev.splitfed.internal.train.CrossEntropy;
import dev.splitfed.internal.train.LocalTraining;

/**
 * A client of {@code fl} (FedAvg; McMahan et al. 2017): it downloads the whole model, trains it on
 * its own data and hands the result to the fed server. With all the data and nobody else, it is
 * also the single party of {@code central}.
 */
public final class FederatedClient extends LocalClient<SplitModel> {

    private final Architecture architecture;
    private final int cut;

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
        super(id, data, indices, training, fedServer, progress);
        this.architecture = architecture;
        this.cut = architecture.checkCut(cut);
    }

    @Override
    SplitModel newModel() {
        return SplitModel.create(architecture, cut);
    }

    @Override
    float trainBatch(SplitModel model, Optimizer optimizer, Batches batches, int round) {
        if (privately()) {
            return trainPrivately(model, optimizer, batches, round);
        }
        try (NDManager scope = model.manager().newSubManager();
                Torch.GradScope recording = Torch.record()) {
            NDArray logits = model.forward(batches.features(scope), true);
            NDArray loss = CrossEntropy.mean(logits, CrossEntropy.labels(scope, batches.labels(), batches.size()));
            float value = Payloads.checkLoss(loss.getFloat(), id, round);
            Torch.backward(loss, scope.ones(loss.getShape()));
            step(model, optimizer);
            return value;
        }
    }

    private float trainPrivately(SplitModel model, Optimizer optimizer, Batches batches, int round) {
        try (NDManager scope = model.manager().newSubManager();
                Torch.GradScope recording = Torch.record()) {
            NDArray features = batches.features(scope);
            int[] labels = batches.labels();
            return privateStep(model, optimizer, batches, row -> {
                try (NDManager sample = scope.newSubManager()) {
                    NDArray x = features.get(new NDIndex("{}:{}", row, row + 1));
                    x.attach(sample);
                    NDArray logits = model.forward(x, true);
                    NDArray loss = CrossEntropy.mean(logits, CrossEntropy.labels(sample, new int[] {labels[row]}, 1));
                    float value = Payloads.checkLoss(loss.getFloat(), id, round);
                    Torch.backward(loss, sample.ones(loss.getShape()));
                    return value;
                }
            });
        }
    }
}
