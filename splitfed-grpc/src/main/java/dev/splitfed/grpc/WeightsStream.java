package dev.splitfed.grpc;

import com.google.protobuf.ByteString;
import dev.splitfed.grpc.proto.DType;
import dev.splitfed.grpc.proto.TensorHeader;
import dev.splitfed.grpc.proto.WeightsChunk;
import dev.splitfed.grpc.proto.WeightsHeader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Weight vectors as streams of {@link WeightsChunk}s: a header in the first, values in all. */
final class WeightsStream {

    private WeightsStream() {}

    static List<WeightsChunk> chunks(int clientId, int round, float[] weights, int samples) {
        List<WeightsChunk> chunks = new ArrayList<>();
        for (ByteString values : TensorChunks.split(weights)) {
            WeightsChunk.Builder chunk = WeightsChunk.newBuilder().setValues(values);
            if (chunks.isEmpty()) {
                chunk.setHeader(WeightsHeader.newBuilder()
                        .setClientId(clientId)
                        .setRound(round)
                        .setSamples(samples)
                        .setTensor(TensorHeader.newBuilder().addShape(weights.length).setDtype(DType.FLOAT32)));
            }
            chunks.add(chunk.build());
        }
        return chunks;
    }

    static float[] read(Iterator<WeightsChunk> chunks, long maxValues, String what) {
        TensorChunks.Assembler values = null;
        while (chunks.hasNext()) {
            WeightsChunk chunk = chunks.next();
            if (values == null) {
                if (!chunk.hasHeader() || chunk.getHeader().getTensor().getShapeCount() != 1
                        || chunk.getHeader().getTensor().getDtype() != DType.FLOAT32) {
                    throw TensorChunks.invalid(what + " lack their float32 vector header");
                }
                values = new TensorChunks.Assembler(chunk.getHeader().getTensor().getShape(0), maxValues, what);
            } else if (chunk.hasHeader()) {
                throw TensorChunks.invalid(what + " carry one header, in their first chunk");
            }
            values.add(chunk.getValues());
        }
        if (values == null) {
            throw TensorChunks.invalid(what + " did not arrive");
        }
        return values.finish();
    }
}
