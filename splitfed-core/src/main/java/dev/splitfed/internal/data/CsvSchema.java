package dev.splitfed.internal.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitfed.InvalidInputException;
import dev.splitfed.data.DataSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a CSV table's columns become features, as the training split fixed it: the label column and
 * its classes, the owner column, and each feature column in the file's order with its statistics
 * (numeric) or categories (text). It travels as the JSON text of a {@link DataSchema} named
 * {@code csv}, so a deployed client encodes its own file exactly as the server encoded the
 * training file ({@link CsvTable#loadOwn}).
 *
 * <p>A numeric column is one feature, {@code (x - mean) / std} ({@code x - mean} when std is 0); a
 * text column is one feature per category, 1 for the row's category and 0 for the others, all 0
 * for a category the training split did not hold.
 *
 * @param version the format of the JSON, {@link #VERSION}
 * @param label the column holding the class
 * @param owner the column naming each row's owner, or null
 * @param classes the class names, in the order of the class indices
 * @param features the feature columns, in the order of the features
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CsvSchema(int version, String label, String owner, List<String> classes, List<Column> features) {

    /** The current format of the JSON. */
    public static final int VERSION = 1;

    /** The kind of a numeric column. */
    public static final String NUMERIC = "numeric";

    /** The kind of a text (one-hot encoded) column. */
    public static final String TEXT = "text";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** Copies the lists and checks the parts. */
    public CsvSchema {
        Objects.requireNonNull(label, "label");
        classes = List.copyOf(classes);
        features = List.copyOf(features);
    }

    /**
     * One feature column.
     *
     * @param name the column's name in the header
     * @param kind {@link #NUMERIC} or {@link #TEXT}
     * @param mean a numeric column's mean over the training split, else null
     * @param std a numeric column's population standard deviation over the training split, else null
     * @param categories a text column's categories, sorted, else null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Column(String name, String kind, Double mean, Double std, List<String> categories) {

        /** Checks that the column is numeric with statistics or text with categories. */
        public Column {
            Objects.requireNonNull(name, "name");
            if (NUMERIC.equals(kind)) {
                if (mean == null || std == null || categories != null) {
                    throw new IllegalArgumentException("numeric column " + name + " needs mean and std only");
                }
            } else if (TEXT.equals(kind)) {
                if (categories == null || mean != null || std != null) {
                    throw new IllegalArgumentException("text column " + name + " needs categories only");
                }
                categories = List.copyOf(categories);
            } else {
                throw new IllegalArgumentException("column " + name + " has kind " + kind + ", not numeric or text");
            }
        }

        /**
         * A numeric column.
         *
         * @param name the column's name
         * @param mean the training mean
         * @param std the training population standard deviation
         * @return the column
         */
        public static Column numeric(String name, double mean, double std) {
            return new Column(name, NUMERIC, mean, std, null);
        }

        /**
         * A text column.
         *
         * @param name the column's name
         * @param categories the training categories, sorted
         * @return the column
         */
        public static Column text(String name, List<String> categories) {
            return new Column(name, TEXT, null, null, categories);
        }

        /** Returns whether the column is numeric. */
        boolean isNumeric() {
            return NUMERIC.equals(kind);
        }

        /** Returns the number of features the column becomes. */
        int width() {
            return isNumeric() ? 1 : categories.size();
        }
    }

    /** Returns the number of floats per sample. */
    public int featureSize() {
        int size = 0;
        for (Column column : features) {
            size += column.width();
        }
        return size;
    }

    /** Returns the names of all columns the table has: the features, the label and the owner if any. */
    public List<String> columns() {
        List<String> names = new ArrayList<>();
        for (Column column : features) {
            names.add(column.name());
        }
        names.add(label);
        if (owner != null) {
            names.add(owner);
        }
        return names;
    }

    /** Returns each category's index within its column, per text column by name. */
    Map<String, Map<String, Integer>> categoryIndex() {
        Map<String, Map<String, Integer>> index = new HashMap<>();
        for (Column column : features) {
            if (!column.isNumeric()) {
                Map<String, Integer> own = new HashMap<>();
                for (int c = 0; c < column.categories().size(); c++) {
                    own.put(column.categories().get(c), c);
                }
                index.put(column.name(), own);
            }
        }
        return index;
    }

    /**
     * Returns the schema as a run sends it to deployed clients.
     *
     * @return a {@link DataSchema} named {@code csv} whose text is this schema's JSON
     */
    public DataSchema toDataSchema() {
        try {
            return new DataSchema(CsvTable.NAME, JSON.writeValueAsString(this));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a csv schema always serialises", e);
        }
    }

    /**
     * Reads the schema a run sent.
     *
     * @param schema the run's schema
     * @return the csv schema
     * @throws InvalidInputException if the schema is not a csv schema this version reads
     */
    public static CsvSchema of(DataSchema schema) {
        if (schema == null) {
            throw new InvalidInputException("a client's own csv file is read with the run's schema, but none was given");
        }
        if (!CsvTable.NAME.equals(schema.dataset())) {
            throw new InvalidInputException("the run's schema describes data set " + schema.dataset()
                    + ", not a csv table");
        }
        CsvSchema parsed;
        try {
            parsed = JSON.readValue(schema.text(), CsvSchema.class);
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new InvalidInputException("the run's csv schema cannot be read: "
                    + e.getMessage().lines().findFirst().orElse("") + ".", e);
        }
        if (parsed.version() != VERSION) {
            throw new InvalidInputException("the run's csv schema has format " + parsed.version()
                    + ", but this splitfed reads format " + VERSION + ".");
        }
        return parsed;
    }
}
