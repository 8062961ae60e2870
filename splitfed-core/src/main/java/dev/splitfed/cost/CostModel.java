package dev.splitfed.cost;

import dev.splitfed.compress.Codec;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.internal.model.ModelPart;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.internal.model.SplitModel;
import dev.splitfed.scheme.Scheme;
import java.util.Objects;

/**
 * The analytic communication of one round (docs/design.md, "Cost model"; Thapa et al. 2022,
 * Table 1), in payload bytes as the run's codec encodes them. With float32 values ({@code none}):
 *
 * <pre>
 *   fl                 per client  up 4|W|                      down 4|W|
 *   sl, sflv1, sflv2   per client  up 4(E n_k q + beta|W|) + 4 E n_k   down 4(E n_k q + beta|W|)
 *   central            nothing crosses a network
 * </pre>
 *
 * <p>with |W| all parameters, beta|W| = |W_C| the client-side ones, q the floats per sample at the
 * cut, n_k client k's samples and E the local epochs. A codec C replaces each tensor's 4m bytes by
 * C's size for m values: smashed data and cut-layer gradients batch by batch (batches of B, the
 * last one smaller), submitted weights as one vector. Labels stay int32 and downloads float32. The
 * measured payload adds a 4-byte sample count per upload and a 4-byte loss per batch, well under
 * 1% of a round.
 *
 * <p>With private labels (the U-shaped split; Vepakomma et al. 2018) the client also keeps the
 * head, |W_H| parameters whose input has h floats per sample. Each batch then also carries the
 * middle's output down and its gradient up, the client's vector is |W_C| + |W_H| long, and no
 * labels (nor losses) cross:
 *
 * <pre>
 *   sl, sflv1, sflv2   per client  up 4(E n_k (q + h) + |W_C| + |W_H|)   down 4(E n_k (q + h) + |W_C| + |W_H|)
 * </pre>
 *
 * @param totalParameters |W|
 * @param clientParameters |W_C|, the stages before the cut
 * @param cutFloats q, floats per sample at the cut
 * @param headParameters |W_H|, the head the client keeps with private labels; 0 with shared labels
 * @param headFloats h, floats per sample at the head's input with private labels; 0 with shared labels
 * @param localEpochs E
 * @param batchSize B
 * @param codec how smashed data, cut-layer gradients and submitted weights are encoded
 */
public record CostModel(
        long totalParameters,
        long clientParameters,
        long cutFloats,
        long headParameters,
        long headFloats,
        int localEpochs,
        int batchSize,
        Codec codec) {

    private static final int FLOAT = 4;
    private static final int LABEL = 4;

    /** Checks the figures. */
    public CostModel {
        if (localEpochs < 1 || batchSize < 1 || clientParameters < 0 || headParameters < 0
                || totalParameters < clientParameters + headParameters || cutFloats < 1 || headFloats < 0
                || (headParameters == 0) != (headFloats == 0)) {
            throw new IllegalArgumentException("a cost model needs localEpochs, batchSize and cutFloats >= 1, "
                    + "0 <= clientParameters + headParameters <= totalParameters, and a head of both parameters and "
                    + "floats or of neither");
        }
        Objects.requireNonNull(codec, "codec");
    }

    /**
     * Creates the cost model of a split with shared labels.
     *
     * @param totalParameters |W|
     * @param clientParameters |W_C|
     * @param cutFloats q, floats per sample at the cut
     * @param localEpochs E
     * @param batchSize B
     * @param codec how smashed data, cut-layer gradients and submitted weights are encoded
     */
    public CostModel(
            long totalParameters, long clientParameters, long cutFloats, int localEpochs, int batchSize, Codec codec) {
        this(totalParameters, clientParameters, cutFloats, 0, 0, localEpochs, batchSize, codec);
    }

    /**
     * Returns the cost model of a network cut at {@code cut}.
     *
     * @param architecture the network
     * @param cut the cut
     * @param localEpochs passes over the local data per round
     * @param batchSize samples per batch
     * @param codec how smashed data, cut-layer gradients and submitted weights are encoded
     * @return the model
     */
    public static CostModel of(Architecture architecture, int cut, int localEpochs, int batchSize, Codec codec) {
        return of(architecture, cut, LabelSharing.SHARED, localEpochs, batchSize, codec);
    }

    /**
     * Returns the cost model of a network cut at {@code cut}, the client keeping its labels or not.
     *
     * @param architecture the network
     * @param cut the cut
     * @param labels whether the client keeps the head and its labels (the U-shaped split)
     * @param localEpochs passes over the local data per round
     * @param batchSize samples per batch
     * @param codec how smashed data, cut-layer gradients and submitted weights are encoded
     * @return the model
     */
    public static CostModel of(
            Architecture architecture, int cut, LabelSharing labels, int localEpochs, int batchSize, Codec codec) {
        SplitLayout layout = SplitLayout.of(architecture, cut, labels);
        try (SplitModel model = SplitModel.create(architecture, cut)) {
            long q = floats(model.client().outputShape());
            long h = 0;
            if (layout.privateLabels()) {
                try (ModelPart middle = ModelPart.create(architecture, cut, layout.serverEnd())) {
                    h = floats(middle.outputShape());
                }
            }
            return new CostModel(
                    model.size(), model.client().size(), q, layout.headSize(), h, localEpochs, batchSize, codec);
        }
    }

    private static long floats(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * Returns the same model with another codec.
     *
     * @param other how smashed data, cut-layer gradients and submitted weights are encoded
     * @return the model
     */
    public CostModel withCodec(Codec other) {
        return new CostModel(
                totalParameters, clientParameters, cutFloats, headParameters, headFloats, localEpochs, batchSize, other);
    }

    /**
     * Returns the bytes a client holding {@code samples} samples sends in one round.
     *
     * @param scheme the scheme
     * @param samples n_k
     * @return bytes up
     */
    public long bytesUp(Scheme scheme, long samples) {
        return switch (scheme) {
            case CENTRAL -> 0;
            case FL -> codec.encodedBytes(Math.toIntExact(totalParameters));
            case SL, SFLV1, SFLV2 -> headParameters > 0
                    ? perBatch(samples, cutFloats) + perBatch(samples, headFloats)
                            + codec.encodedBytes(Math.toIntExact(clientParameters + headParameters))
                    : perBatch(samples, cutFloats) + codec.encodedBytes(Math.toIntExact(clientParameters))
                            + LABEL * localEpochs * samples;
        };
    }

    /**
     * Returns the bytes a client holding {@code samples} samples receives in one round.
     *
     * @param scheme the scheme
     * @param samples n_k
     * @return bytes down
     */
    public long bytesDown(Scheme scheme, long samples) {
        return switch (scheme) {
            case CENTRAL -> 0;
            case FL -> FLOAT * totalParameters;
            case SL, SFLV1, SFLV2 -> perBatch(samples, cutFloats) + perBatch(samples, headFloats)
                    + FLOAT * (clientParameters + headParameters);
        };
    }

    /**
     * Returns the bytes of one direction's per-batch tensors of {@code floats} values per sample
     * for {@code samples} samples: E epochs of batches (nothing for 0 floats).
     */
    private long perBatch(long samples, long floats) {
        if (floats == 0) {
            return 0;
        }
        long full = samples / batchSize;
        long rest = samples % batchSize;
        long epoch = full * codec.encodedBytes(Math.toIntExact(batchSize * floats))
                + (rest > 0 ? codec.encodedBytes(Math.toIntExact(rest * floats)) : 0);
        return localEpochs * epoch;
    }

    /**
     * Returns how much one round's exchanges with the fed server change when every client keeps a
     * personal head (FedPer: its vector loses the head's parameters both ways) or carries SCAFFOLD's
     * control variates (a second vector as long as the weights, both ways: c down, delta c_i up).
     * Add it to {@link #round}.
     *
     * @param scheme the scheme
     * @param participants the clients that take part
     * @param personalHead parameters of the head each client keeps, 0 for none
     * @param scaffold whether control variates travel with the weights
     * @return the change up and down, over all participants (negative for fewer bytes)
     */
    public Traffic fedServerChange(Scheme scheme, int participants, long personalHead, boolean scaffold) {
        if (scheme == Scheme.CENTRAL) {
            return new Traffic(0, 0);
        }
        long plain = scheme == Scheme.FL ? totalParameters : clientParameters + headParameters;
        long sent = (plain - personalHead) * (scaffold ? 2 : 1);
        long up = codec.encodedBytes(Math.toIntExact(sent)) - codec.encodedBytes(Math.toIntExact(plain));
        long down = FLOAT * (sent - plain);
        return new Traffic(participants * up, participants * down);
    }

    /**
     * Returns the bytes of one round in which the given clients take part.
     *
     * @param scheme the scheme
     * @param samplesPerClient n_k of each participating client
     * @return up and down, over all participants
     */
    public Traffic round(Scheme scheme, int[] samplesPerClient) {
        long up = 0;
        long down = 0;
        for (int n : samplesPerClient) {
            up += bytesUp(scheme, n);
            down += bytesDown(scheme, n);
        }
        return new Traffic(up, down);
    }

    /**
     * Bytes of a round.
     *
     * @param up sent by clients
     * @param down received by clients
     */
    public record Traffic(long up, long down) {

        /** Returns up plus down. */
        public long total() {
            return up + down;
        }
    }
}
