package dev.splitfed.grpc.internal;

import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.TorchScriptModel;
import dev.splitfed.scheme.SimulationConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A deployed client's part of a TorchScript model, as the join announced it: which stages it
 * trains and their SHA-256, every stage's input shape, and the sizes of the split's parts. The
 * stages come from the server (into a directory of the client's own, deleted when the process
 * ends) or from the client's own copy, which must have the same digests.
 */
public final class ClientModel {

    private final Map<Integer, String> digests;
    private final List<int[]> shapes;
    private final int[] layout;

    private ClientModel(Map<Integer, String> digests, List<int[]> shapes, int[] layout) {
        this.digests = digests;
        this.shapes = shapes;
        this.layout = layout;
    }

    /**
     * Reads the announcement from the join's settings and removes its keys, or returns null when
     * the run's model is not a TorchScript model.
     *
     * @param settings the join's settings; the model keys are removed
     * @return the client's model, or null
     * @throws InvalidInputException if the announcement is malformed
     */
    public static ClientModel of(Map<String, String> settings) {
        String stages = settings.remove(ClientFiles.STAGES_KEY);
        String count = settings.remove(ClientFiles.STAGE_COUNT_KEY);
        String shapeText = settings.remove(ClientFiles.SHAPES_KEY);
        String layoutText = settings.remove(ClientFiles.LAYOUT_KEY);
        if (stages == null) {
            return null;
        }
        try {
            int total = Integer.parseInt(count);
            if (total < 2 || total > TorchScriptModel.MAX_STAGES) {
                throw new NumberFormatException(count);
            }
            Map<Integer, String> digests = new TreeMap<>();
            for (String entry : stages.split(",")) {
                String[] kv = entry.split("=", 2);
                int stage = Integer.parseInt(kv[0]);
                if (stage < 0 || stage >= total || !kv[1].matches("[0-9a-f]{64}")) {
                    throw new NumberFormatException(entry);
                }
                digests.put(stage, kv[1]);
            }
            List<int[]> shapes = new ArrayList<>();
            for (String shape : shapeText.split(";")) {
                String[] dims = shape.split("x");
                int[] out = new int[dims.length];
                for (int d = 0; d < dims.length; d++) {
                    out[d] = Integer.parseInt(dims[d]);
                    if (out[d] < 1) {
                        throw new NumberFormatException(shape);
                    }
                }
                shapes.add(out);
            }
            if (shapes.size() != total) {
                throw new NumberFormatException(shapeText);
            }
            int[] layout = null;
            if (layoutText != null) {
                String[] parts = layoutText.split(",");
                layout = new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
            }
            return new ClientModel(digests, shapes, layout);
        } catch (RuntimeException e) {
            throw new InvalidInputException("the server's announcement of its TorchScript model is malformed");
        }
    }

    /**
     * Returns the client's architecture: its stages received from the server, or its own copy.
     *
     * @param remote the connection to the server
     * @param ownCopy the client's own directory of stages, or null to receive them
     * @param numClasses the number of classes of the client's data
     * @param log where progress lines go
     * @return the architecture, holding only the client's stages
     * @throws InvalidInputException if the stages received or the client's copy are not the announced ones
     */
    public Architecture architecture(RemoteClient remote, Path ownCopy, int numClasses, PrintWriter log) {
        Path dir = ownCopy;
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("splitfed-model-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            deleteOnExit(dir);
            remote.receiveStages(digests, dir);
            log.printf("received the model's stages %s, SHA-256 checked%n", digests.keySet());
        }
        return TorchScriptModel.forClient(dir, digests, shapes, numClasses);
    }

    /**
     * Returns the split's layout as the server measured it, or null when the scheme has no split.
     *
     * @param config the run's settings
     * @return the layout
     */
    public SplitLayout layout(SimulationConfig config) {
        if (layout == null || !config.scheme().isSplit()) {
            return null;
        }
        int stages = shapes.size();
        int end = config.labels() == dev.splitfed.model.LabelSharing.PRIVATE ? stages - 1 : stages;
        return new SplitLayout(config.cut(), end, stages, layout[0], layout[1], layout[2]);
    }

    private static void deleteOnExit(Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort: a temporary directory
            }
        }));
    }
}
