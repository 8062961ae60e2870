package dev.splitfed.internal.role;

import ai.djl.training.optimizer.Optimizer;
import dev.splitfed.internal.aggregate.ControlVariate;
import dev.splitfed.data.Dataset;
import dev.splitfed.internal.model.Trainable;
import dev.splitfed.internal.privacy.ClippedSum;
import dev.splitfed.privacy.DpSgdConfig;
import dev.splitfed.internal.train.Batches;
import dev.splitfed.internal.train.LocalTraining;
import dev.splitfed.internal.train.ProximalOptimizer;
import java.util.function.IntToDoubleFunction;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The round every client runs, whatever it trains: download the weights from the fed server, run
 * the local epochs batch by batch, hand the weights back. Subclasses say what model they hold and
 * how one batch trains it.
 *
 * <p>Between rounds a client holds no engine memory: its model lives only while it trains.
 *
 * <p>With DP-SGD, every batch's gradient is computed sample by sample, each clipped, summed and
 * noised before the optimizer sees it ({@link #privateStep}).
 *
 * <p>With SCAFFOLD (Karimireddy et al. 2020) the client keeps its control variate c_i between
 * rounds, downloads the server's c after the weights, adds c - c_i to every step's gradient
 * ({@link #step}), and hands in delta c_i after its trained weights.
 *
 * <p>With FedProx ({@code proxMu > 0}) the round's optimizer adds {@code mu * (w - w_start)} to
 * every gradient it steps with, w_start being the downloaded weights ({@link ProximalOptimizer}).
 *
 * @param <M> the layers the client trains
 */
public abstract class LocalClient<M extends Trainable> implements Client {

    protected final int id;
    private final Dataset data;
    private final int[] indices;
    private final LocalTraining training;
    private final FedServer fedServer;
    private final ProgressListener progress;
    private UniformRandomProvider dpNoise;
    /** SCAFFOLD's c_i, or null without SCAFFOLD. */
    private ControlVariate variate;
    /** This round's c - c_i, or null without SCAFFOLD. */
    private float[] correction;
    /** Where the round's model is borrowed from, or null to build one each round. */
    private ModelPool models;

    LocalClient(
            int id, Dataset data, int[] indices, LocalTraining training, FedServer fedServer, ProgressListener progress) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("client " + id + " holds no samples");
        }
        this.id = id;
        this.data = data;
        this.indices = indices.clone();
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
    public final ClientReport train(int round, long budget) {
        if (budget < 1) {
            throw new IllegalArgumentException("client " + id + " was given " + budget + " batches; at least 1 expected");
        }
        float[] received = fedServer.download(id, round);
        long seen = 0;
        long steps = 0;
        boolean stopped = false;
        double lossSum = 0;
        M model = models != null ? models.borrow(getClass(), this::newModel) : newModel();
        boolean clean = false;
        try {
            float[] start = received;
            float[] c = null;
            if (training.scaffold()) {
                Payloads.checkWeights("the fed server", received, 2 * model.size());
                start = ControlVariate.weightsOf(received);
                c = ControlVariate.variateOf(received);
                if (variate == null) {
                    variate = new ControlVariate(model.size());
                }
                correction = variate.correction(c);
            }
            model.setWeights(Payloads.checkWeights("the fed server", start, model.size()));
            Optimizer optimizer = training.newOptimizer();
            try {
                for (int epoch = 0; epoch < training.localEpochs() && !stopped; epoch++) {
                    Batches batches = training.epoch(data, indices, id, round, epoch);
                    dpNoise = training.dpSgd() == null ? null : training.noise().rng("dp-sgd", id, round, epoch);
                    while (batches.next()) {
                        if (steps == budget) {
                            stopped = true;
                            break;
                        }
                        lossSum += (double) trainBatch(model, optimizer, batches, round) * batches.size();
                        seen += batches.size();
                        steps++;
                        progress.batchDone();
                    }
                }
            } finally {
                LocalTraining.release(optimizer);
            }
            trained(round);
            // Partial work (Li et al. 2020) counts the distinct samples it trained on: every epoch
            // is a permutation of the client's samples, so that is min(n_k, samples seen).
            int samples = stopped ? (int) Math.max(1, Math.min(indices.length, seen)) : indices.length;
            float[] weights = Payloads.checkConverging("weights", model.weights(), id, round);
            if (c == null) {
                fedServer.submit(id, round, weights, samples);
            } else {
                // c_i+ is kept only once the server has taken delta c_i: a refused submission leaves c_i as it was.
                ControlVariate next = new ControlVariate(variate);
                float[] delta = next.update(start, weights, c, steps, training.optimizer().learningRate());
                fedServer.submit(id, round, ControlVariate.join(weights, delta), samples);
                variate = next;
            }
            clean = true;
        } finally {
            if (models != null && clean) {
                models.giveBack(getClass(), model);
            } else {
                model.close();
            }
        }
        return new ClientReport(id, seen, lossSum);
    }

    /**
     * Makes the client borrow its round's model from a pool shared with the run's other clients
     * instead of building one each round.
     *
     * @param pool the pool, or null to build a model each round
     */
    public final void borrowModelsFrom(ModelPool pool) {
        this.models = pool;
    }

    /**
     * Applies one optimizer step with the gradients the batch accumulated in the model: as they
     * are, or with SCAFFOLD corrected to g - c_i + c (Karimireddy et al. 2020, Algorithm 1, line 10).
     *
     * @param model the client's model, holding the batch's gradients
     * @param optimizer the round's optimizer
     */
    final void step(M model, Optimizer optimizer) {
        if (correction == null) {
            model.step(optimizer);
            return;
        }
        float[] gradient = model.gradients();
        model.clearGradients();
        model.step(optimizer, corrected(gradient));
    }

    /** Returns the gradient with SCAFFOLD's correction c - c_i added in place, or as it is without SCAFFOLD. */
    private float[] corrected(float[] gradient) {
        if (correction != null) {
            for (int j = 0; j < gradient.length; j++) {
                gradient[j] += correction[j];
            }
        }
        return gradient;
    }

    /** Returns whether the client trains with DP-SGD. */
    final boolean privately() {
        return training.dpSgd() != null;
    }

    /**
     * Takes one DP-SGD step (Abadi et al. 2016, Algorithm 1): computes each sample's gradient
     * alone, clips it to the clipping norm, sums, adds Gaussian noise of standard deviation
     * {@code noise * clip}, divides by the expected batch size, and hands that to the optimizer.
     * An empty Poisson batch still takes its step, of noise alone: skipping it would tell.
     *
     * @param model the client's model
     * @param optimizer the round's optimizer
     * @param batches positioned on the batch
     * @param sampleBackward accumulates one row's loss gradient into the model and returns that loss
     * @return the batch's mean loss, 0 for an empty batch
     */
    final float privateStep(M model, Optimizer optimizer, Batches batches, IntToDoubleFunction sampleBackward) {
        DpSgdConfig dp = training.dpSgd();
        ClippedSum sum = new ClippedSum(model.size(), dp.clip());
        double loss = 0;
        model.clearGradients();
        for (int row = 0; row < batches.size(); row++) {
            loss += sampleBackward.applyAsDouble(row);
            sum.add(model.gradients());
            model.clearGradients();
        }
        model.step(optimizer, corrected(sum.release(dp.noise(), batches.expectedSize(), dpNoise)));
        return batches.size() == 0 ? 0 : (float) (loss / batches.size());
    }

    /** Returns a fresh model with all parameters zero; the round's weights are written into it. */
    abstract M newModel();

    /**
     * Called when the client's local epochs are over, before it hands its weights in.
     *
     * @param round the current round
     */
    void trained(int round) {}

    /**
     * Trains the model on one batch.
     *
     * @param model the client's model
     * @param optimizer the round's optimizer
     * @param batches positioned on the batch
     * @param round the current round
     * @return the batch's mean training loss
     */
    abstract float trainBatch(M model, Optimizer optimizer, Batches batches, int round);
}
