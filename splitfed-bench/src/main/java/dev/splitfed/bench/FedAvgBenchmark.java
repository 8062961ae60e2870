package dev.splitfed.bench;

import dev.splitfed.aggregate.ClientUpdate;
import dev.splitfed.internal.aggregate.FedAvg;
import java.util.ArrayList;
import java.util.List;
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
 * Times {@link FedAvg#aggregate} on ResNet-18-sized vectors beside the floor any aggregation must
 * pay: reading every client's vector once ({@link #memoryCopy}). The target is
 * {@code fedAvg <= 3 x memoryCopy}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// Pre-touched heap: a long-running fed server has long since faulted its pages in; without it, the
// first iterations time the kernel handing out fresh pages for FedAvg's 44 MB result arrays.
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
public class FedAvgBenchmark {

    /** Clients whose vectors are averaged. */
    @Param("10")
    public int clients;

    /** Floats per vector; 11,000,000 is about ResNet-18's parameter count. */
    @Param("11000000")
    public int floats;

    private final FedAvg fedAvg = new FedAvg();
    private List<ClientUpdate> updates;
    private float[][] copies;

    /** Draws the clients' vectors and sample counts, and allocates the copy destinations. */
    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(1);
        updates = new ArrayList<>(clients);
        copies = new float[clients][];
        for (int k = 0; k < clients; k++) {
            float[] weights = new float[floats];
            for (int i = 0; i < floats; i++) {
                weights[i] = (float) (random.nextDouble() * 2 - 1);
            }
            // Unequal shares, as with a non-IID partition, so no client's weight is 1 / clients.
            updates.add(new ClientUpdate(k, weights, 1000 + random.nextInt(5000)));
            copies[k] = new float[floats];
        }
    }

    /** Returns the sample-weighted average of the clients' vectors. */
    @Benchmark
    public float[] fedAvg() {
        return fedAvg.aggregate(updates);
    }

    /** Copies every client's vector once into a preallocated array: the memory-traffic floor. */
    @Benchmark
    public float[][] memoryCopy() {
        for (int k = 0; k < clients; k++) {
            System.arraycopy(updates.get(k).delta(), 0, copies[k], 0, floats);
        }
        return copies;
    }
}
