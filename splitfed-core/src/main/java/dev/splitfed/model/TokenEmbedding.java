package dev.splitfed.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A word-embedding layer for inputs that hold word indices as floats, as every splitfed batch
 * does: it casts them to integers and looks them up with the engine's embedding operator
 * ({@link Embedding#embedding}), so a {@code [batch, T]} input becomes {@code [batch, T, size]}.
 *
 * <p>DJL's own {@code Embedding} blocks map Java items (strings) through a vocabulary object; here
 * the vocabulary lives with the data set, and the layer sees indices only.
 */
final class TokenEmbedding extends AbstractBlock {

    private final int size;
    private final Parameter table;

    TokenEmbedding(int words, int size) {
        this.size = size;
        this.table = addParameter(Parameter.builder()
                .setName("embedding")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(words, size))
                .build());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].addAll(new Shape(size))};
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        NDArray weight = store.getValue(table, input.getDevice(), training);
        try (NDArray ids = input.toType(DataType.INT64, false)) {
            return Embedding.embedding(ids, weight, SparseFormat.DENSE);
        }
    }
}
