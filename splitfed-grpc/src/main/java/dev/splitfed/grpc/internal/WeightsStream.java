package dev.splitfed.grpc.internal;

import com.google.protobuf.ByteString;
import dev.splitfed.compress.Codec;
import dev.splitfed.grpc.proto.WeightsChunk;
import dev.splitfed.grpc.proto.WeightsHeader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Weight vectors as streams of {@link WeightsChunk}s: a header in the first, encoded values in all. */
public final class WeightsStream {

    private WeightsStream() {}

    /** Returns float32 weights as chunks. */
    static List<WeightsChunk> chunks(int clientId, int round, float[] weights, int samples) {
        return chunks(clientId, round, weights.length, Codec.NONE, Codec.NONE.encode(weights), samples);
    }

    /** Returns {@code n} weights, encoded as {@code payload} by {@code codec}, as chunks. */
    static List<WeightsChunk> chunks(int clientId, int round, int n, Codec codec, byte[] payload, int samples) {
        List<WeightsChunk> chunks = new ArrayList<>();
        for (ByteString values : TensorChunks.split(payload)) {
            WeightsChunk.Builder chunk = WeightsChunk.newBuilder().setValues(values);
            if (chunks.isEmpty()) {
                chunk.setHeader(WeightsHeader.newBuilder()
                        .setClientId(clientId)
                        .setRound(round)
                        .setSamples(samples)
                        .setTensor(TensorChunks.header(new int[] {n}, codec)));
            }
            chunks.add(chunk.build());
        }
        return chunks;
    }

    /** Reads float32 weights from chunks. */
    static float[] read(Iterator<WeightsChunk> chunks, long maxValues, String what) {
        TensorChunks.Assembler values = null;
        while (chunks.hasNext()) {
            WeightsChunk chunk = chunks.next();
            if (values == null) {
                if (!chunk.hasHeader() || chunk.getHeader().getTensor().getShapeCount() != 1) {
                    throw TensorChunks.invalid(what + " lack their vector header");
                }
                values = new TensorChunks.Assembler(chunk.getHeader().getTensor(), Codec.NONE, maxValues, what);
            } else if (chunk.hasHeader()) {
                throw TensorChunks.invalid(what + " carry one header, in their first chunk");
            }
            values.add(chunk.getValues());
        }
        if (values == null) {
            throw TensorChunks.invalid(what + " did not arrive");
        }
        return values.decode();
    }
}
