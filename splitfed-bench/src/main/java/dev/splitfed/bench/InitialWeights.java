package dev.splitfed.bench;

import dev.splitfed.model.Architecture;
import dev.splitfed.scheme.Simulation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the initial weights a run of a built-in model starts from, as little-endian float32 in
 * the run's flat layout (client-side stages, then server-side), so that {@code bench/copy_weights.py}
 * can put them into TorchScript stages exported from the same network: the TorchScript parity
 * benchmark ({@code bench/torchscript-parity.sh}).
 *
 * <pre>
 * java -cp splitfed-bench/target/benchmarks.jar dev.splitfed.bench.InitialWeights lenet5 1,28,28 10 CUT SEED OUT
 * </pre>
 */
public final class InitialWeights {

    private InitialWeights() {}

    /**
     * Writes the weights.
     *
     * @param args model, input shape (comma-separated), classes, cut, seed, output file
     * @throws IOException if the file cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 6) {
            System.err.println("usage: InitialWeights MODEL SHAPE CLASSES CUT SEED OUT");
            System.exit(2);
        }
        String[] dims = args[1].split(",");
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = Integer.parseInt(dims[i]);
        }
        Architecture architecture = Architecture.create(args[0], shape, Integer.parseInt(args[2]));
        float[] weights = Simulation.initialWeights(architecture, Integer.parseInt(args[3]), Long.parseLong(args[4]));
        ByteBuffer bytes = ByteBuffer.allocate(weights.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(weights);
        Files.write(Path.of(args[5]), bytes.array());
        System.out.println(weights.length + " weights of " + args[0] + " (cut " + args[3] + ", seed " + args[4]
                + ") in " + args[5]);
    }
}
