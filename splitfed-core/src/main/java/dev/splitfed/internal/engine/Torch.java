package dev.splitfed.internal.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The few PyTorch-specific calls splitfed makes, kept in one place so the rest of the code speaks
 * DJL's engine-neutral API, {@code float[]} and its own types.
 *
 * <p>The engine always runs offline: the native library comes from the {@code pytorch-native-cpu}
 * jar on the classpath and nothing is downloaded at run time.
 *
 * <p>The engine's memory comes from glibc's allocator, which needs {@link #ALLOCATOR_SETTINGS} in
 * the process environment to keep freed tensor memory for reuse; {@code ./splitfed}, the tests and
 * the benchmarks set it ({@code tools/engine-env.sh}), and a JVM started without it is told once.
 */
public final class Torch {

    /**
     * The {@code GLIBC_TUNABLES} under which the engine runs: tensors up to 32 MB from the heap
     * rather than their own mapping, and no heap trimmed or unmapped. Without them glibc unmaps a
     * thread's heap as soon as it empties and the next batch faults every page in again (measured,
     * ResNet-18: epochs with 1.3 M page faults, three times as long). Read by glibc when the process
     * starts, so it can only be set by whoever starts the JVM.
     */
    public static final String ALLOCATOR_SETTINGS =
            "glibc.malloc.mmap_threshold=33554432:glibc.malloc.top_pad=67108864:glibc.malloc.trim_threshold=4294967296";

    private static final Logger LOG = LoggerFactory.getLogger(Torch.class);

    private static volatile Engine engine;

    private Torch() {}

    /**
     * Returns the PyTorch engine, loading it offline on first use.
     *
     * @return the loaded engine
     */
    public static Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (Torch.class) {
                e = engine;
                if (e == null) {
                    System.setProperty("ai.djl.offline", "true");
                    e = Engine.getEngine("PyTorch");
                    engine = e;
                    adviseAllocator(System.getenv("GLIBC_TUNABLES"));
                }
            }
        }
        return e;
    }

    /**
     * Tells, once, a JVM on Linux that was started without the allocator settings how to start it.
     *
     * @param tunables the process's {@code GLIBC_TUNABLES}, or null
     * @return whether it told
     */
    static boolean adviseAllocator(String tunables) {
        boolean linux = System.getProperty("os.name", "").startsWith("Linux");
        if (!linux || (tunables != null && !tunables.isEmpty())) {
            return false;
        }
        LOG.info("The PyTorch engine runs faster when the JVM is started with GLIBC_TUNABLES={} "
                + "(./splitfed sets it; see docs/java-api.md)", ALLOCATOR_SETTINGS);
        return true;
    }

    /**
     * Returns the version of the native PyTorch library.
     *
     * @return e.g. {@code 2.7.1}
     */
    public static String version() {
        return engine().getVersion();
    }

    /**
     * Sets the number of threads PyTorch uses inside one operator (intra-op parallelism).
     *
     * @param threads number of threads, {@code >= 1}
     */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        engine();
        JniUtils.setNumThreads(threads);
    }

    /**
     * Seeds PyTorch's own generator, which draws the noise at the cut ({@code --smashed-noise}); no
     * other splitfed code path uses it. PyTorch's CPU generator (a Mersenne Twister) keeps only the
     * low 32 bits of a seed.
     *
     * @param seed the seed
     */
    public static void seed(long seed) {
        engine().setRandomSeed((int) seed);
    }

    /**
     * Starts recording operations for autograd on this thread; close the returned scope to restore
     * the previous mode. PyTorch's grad mode is per thread, so several threads may record at once.
     *
     * @return the scope to close
     */
    public static GradScope record() {
        return gradMode(true);
    }

    /**
     * Stops recording operations on this thread (for evaluation); close the returned scope to
     * restore the previous mode.
     *
     * @return the scope to close
     */
    public static GradScope pause() {
        return gradMode(false);
    }

    private static GradScope gradMode(boolean enabled) {
        engine();
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(enabled);
        return () -> JniUtils.setGradMode(previous);
    }

    /**
     * Back-propagates {@code gradient} from {@code output}, accumulating into the gradients of every
     * leaf array that requires one. This is how a cut-layer gradient received from the main server
     * continues backward through the client-side layers.
     *
     * @param output an array computed while recording
     * @param gradient d loss / d output, same shape as {@code output}
     */
    public static void backward(NDArray output, NDArray gradient) {
        if (!output.getShape().equals(gradient.getShape())) {
            throw new IllegalArgumentException(
                    "gradient shape " + gradient.getShape() + " must equal output shape " + output.getShape());
        }
        JniUtils.backward((PtNDArray) output, (PtNDArray) gradient, false, false);
    }

    /**
     * Sets the gradient accumulated in {@code array} to zero (if it has one).
     *
     * @param array a parameter
     */
    public static void clearGradient(NDArray array) {
        JniUtils.zeroGrad((PtNDArray) array);
    }

    /** A recording scope; closing it restores the previous grad mode. */
    @FunctionalInterface
    public interface GradScope extends AutoCloseable {
        @Override
        void close();
    }
}
