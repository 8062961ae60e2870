package dev.splitfed.model;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;

/**
 * A next-word model for a keyboard: word embedding, one LSTM layer (Hochreiter and Schmidhuber
 * 1997), and a softmax over the vocabulary; the recurrent next-word model of federated keyboard
 * prediction (Hard et al. 2018, "Federated Learning for Mobile Keyboard Prediction") at a size a
 * phone trains in seconds.
 *
 * <p>Input: a window of {@code T} word indices. Stages: 1 = embedding ({@value #EMBEDDING} values
 * per word), 2 = LSTM ({@value #HIDDEN} units) keeping the last step's output, 3 = output layer
 * over the vocabulary. {@code --cut 1} sends the main server the embedded window ({@code T x}
 * {@value #EMBEDDING} values per sample); {@code --cut 2} sends the LSTM's summary ({@value #HIDDEN}
 * values), keeping the recurrent layer on the phone.
 */
final class NextWord implements Architecture {

    static final String NAME = "next-word";
    /** Values per embedded word. */
    static final int EMBEDDING = 64;
    /** LSTM units. */
    static final int HIDDEN = 128;

    private final int[] inputShape;
    private final int vocabulary;

    NextWord(int[] inputShape, int vocabulary) {
        this.inputShape = inputShape.clone();
        this.vocabulary = vocabulary;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public int numClasses() {
        return vocabulary;
    }

    @Override
    public int stages() {
        return 3;
    }

    @Override
    public boolean languageModel() {
        return true;
    }

    @Override
    public Block stage(int stage) {
        switch (stage) {
            case 0:
                return new TokenEmbedding(vocabulary, EMBEDDING);
            case 1:
                return new SequentialBlock()
                        .add(LSTM.builder().setStateSize(HIDDEN).setNumLayers(1).optBatchFirst(true).build())
                        .add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().get(":, -1, :")), "last-step"));
            case 2:
                return Linear.builder().setUnits(vocabulary).build();
            default:
                throw new IllegalArgumentException("stage must be in [0, 3), got " + stage);
        }
    }
}
