package dev.splitfed.bench;

import dev.splitfed.compress.Codec;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Times each codec on one batch of LeNet-5's smashed data at cut 1 (64 x 6 x 14 x 14 = 75,264
 * values after a ReLU and max-pool: non-negative, about half of them zero): what compression adds
 * to a batch's few milliseconds of compute.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class CodecBenchmark {

    /** The codec's spec. */
    @Param({"none", "fp16", "int8", "topk:0.1"})
    public String codec;

    /** Values per tensor. */
    @Param("75264")
    public int values;

    private Codec c;
    private float[] batch;
    private byte[] payload;

    /** Draws the activations and encodes them once for the decode benchmark. */
    @Setup(Level.Trial)
    public void setUp() {
        c = Codec.parse(codec);
        SplittableRandom random = new SplittableRandom(1);
        batch = new float[values];
        for (int i = 0; i < values; i++) {
            batch[i] = (float) Math.max(0, random.nextGaussian());
        }
        payload = c.encode(batch);
    }

    /** Encodes the batch. */
    @Benchmark
    public byte[] encode() {
        return c.encode(batch);
    }

    /** Decodes the batch. */
    @Benchmark
    public float[] decode() {
        return c.decode(payload, values);
    }
}
