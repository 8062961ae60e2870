package dev.splitfed.grpc.internal;

import dev.splitfed.data.DataSchema;
import dev.splitfed.model.TorchScriptModel;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * What a server hands each client that joins besides the run's settings: the data schema its own
 * files are read with, and a TorchScript model's client-side stages.
 *
 * @param schema the run's data schema, or null
 * @param stages the stages a client trains, by index (the main server's are never among them)
 */
public record ClientFiles(DataSchema schema, SortedMap<Integer, byte[]> stages) {

    /** Nothing besides the settings. */
    public static final ClientFiles NONE = new ClientFiles(null, new TreeMap<>());

    /** The settings key under which the server sends the schema's SHA-256. */
    public static final String SCHEMA_KEY = "data-schema-sha256";

    /** The settings key under which the server sends the stages' digests, {@code 0=HEX,1=HEX}. */
    public static final String STAGES_KEY = "model-stages";

    /** The settings key under which the server sends the model's number of stages. */
    public static final String STAGE_COUNT_KEY = "model-stage-count";

    /** The settings key under which the server sends the parameter counts of the model's parts, {@code bottom,server,head}. */
    public static final String LAYOUT_KEY = "model-layout";

    /** The settings key under which the server sends every stage's input shape, {@code 1x28x28;6x14x14;...}. */
    public static final String SHAPES_KEY = "model-shapes";

    /** Takes an unmodifiable copy of the stages. */
    public ClientFiles {
        stages = Collections.unmodifiableSortedMap(new TreeMap<>(stages));
    }

    /**
     * Returns the settings that announce these files: the schema's digest, the stages' digests.
     *
     * @return keys {@link #SCHEMA_KEY} and {@link #STAGES_KEY} where there is something to announce
     */
    public Map<String, String> announcements() {
        Map<String, String> out = new LinkedHashMap<>();
        if (schema != null) {
            out.put(SCHEMA_KEY, schema.digest());
        }
        if (!stages.isEmpty()) {
            StringJoiner digests = new StringJoiner(",");
            stages.forEach((i, bytes) -> digests.add(i + "=" + TorchScriptModel.sha256(bytes)));
            out.put(STAGES_KEY, digests.toString());
        }
        return out;
    }
}
