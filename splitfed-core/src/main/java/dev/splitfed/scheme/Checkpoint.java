package dev.splitfed.scheme;

import dev.splitfed.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The state a run needs to continue after a completed round: the round, the global weights, and
 * the state the servers carry from round to round (a server optimizer's moments, by name).
 *
 * <p>Nothing else is needed, because every random stream is derived from the seed, the round and
 * the client, and every client starts a round with fresh optimizer state: a run resumed from round
 * r's checkpoint trains rounds r+1.. exactly as the uninterrupted run does. (Runs whose clients keep
 * state of their own, SCAFFOLD's control variates or FedPer's heads, and FedBuff runs, with jobs in
 * flight, are not resumable: {@link Simulation} refuses them.)
 *
 * <p>File format, version 2: magic {@code SFCK}, version, round, value count, float32 values
 * (big-endian), then the number of state sections and for each its name (modified UTF-8 as
 * {@link DataOutputStream#writeUTF} writes it), value count and float32 values; last the CRC-32 of
 * everything before it. Version 1, written before servers kept state, ends after the weights and
 * is still read (with no state). Written to a temporary file and renamed into place, so a crash
 * leaves the previous checkpoint whole.
 *
 * @param round the last completed round
 * @param globalWeights the global model after it: client-side values, then server-side values
 * @param serverState the servers' state after it, by name (e.g. {@code fed-optimizer}); sorted
 */
public record Checkpoint(int round, float[] globalWeights, SortedMap<String, float[]> serverState) {

    /** The file name inside a run's out directory. */
    public static final String FILE = "checkpoint.bin";

    private static final int MAGIC = 0x5346434B; // "SFCK"
    private static final int VERSION = 2;

    /** Copies the state map. */
    public Checkpoint {
        serverState = Collections.unmodifiableSortedMap(new TreeMap<>(serverState));
    }

    /**
     * Creates a checkpoint of servers that keep no state between rounds.
     *
     * @param round the last completed round
     * @param globalWeights the global model after it
     */
    public Checkpoint(int round, float[] globalWeights) {
        this(round, globalWeights, new TreeMap<>());
    }

    /**
     * Writes the checkpoint into {@code dir} atomically.
     *
     * @param dir the run's out directory
     */
    public void write(Path dir) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(28 + 4 * globalWeights.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(round);
            writeValues(out, globalWeights);
            out.writeInt(serverState.size());
            for (Map.Entry<String, float[]> e : serverState.entrySet()) {
                out.writeUTF(e.getKey());
                writeValues(out, e.getValue());
            }
            out.flush();
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path tmp = dir.resolve(FILE + ".tmp");
        try {
            Files.write(tmp, bytes.toByteArray());
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint in " + dir, e);
        }
    }

    private static void writeValues(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length);
        buffer.asFloatBuffer().put(values);
        out.write(buffer.array());
    }

    /**
     * Reads the checkpoint of the run in {@code dir}.
     *
     * @param dir the run's out directory
     * @return the checkpoint
     * @throws InvalidInputException if there is none or it is damaged
     */
    public static Checkpoint read(Path dir) {
        Path file = dir.resolve(FILE);
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(
                    dir + " holds no " + FILE + ": it is not the out directory of a run that completed a round");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (all.length < 24) {
            throw new InvalidInputException(file + " is truncated");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        if (crc.getValue() != ByteBuffer.wrap(all, all.length - 8, 8).getLong()) {
            throw new InvalidInputException(file + " is damaged (its checksum does not match)");
        }
        try (InputStream raw = new java.io.ByteArrayInputStream(all, 0, all.length - 8);
                DataInputStream in = new DataInputStream(raw)) {
            int version = in.readInt() == MAGIC ? in.readInt() : -1;
            if (version != 1 && version != VERSION) {
                throw new InvalidInputException(file + " is not a splitfed checkpoint of version 1 or " + VERSION);
            }
            int round = in.readInt();
            int n = in.readInt();
            int body = all.length - 8 - 16;
            if (round < 1 || n < 1 || (version == 1 ? 4L * n != body : 4L * n > body)) {
                throw new InvalidInputException(file + " is damaged (round " + round + ", " + n + " values)");
            }
            float[] weights = readValues(in, n);
            SortedMap<String, float[]> state = new TreeMap<>();
            if (version >= 2) {
                int sections = in.readInt();
                for (int s = 0; s < sections; s++) {
                    String name = in.readUTF();
                    int count = in.readInt();
                    if (count < 0 || 4L * count > in.available() || state.containsKey(name)) {
                        throw new InvalidInputException(file + " is damaged (state section '" + name + "')");
                    }
                    state.put(name, readValues(in, count));
                }
                if (in.available() != 0) {
                    throw new InvalidInputException(file + " is damaged (" + in.available() + " bytes after its state)");
                }
            }
            return new Checkpoint(round, weights, state);
        } catch (EOFException e) {
            throw new InvalidInputException(file + " is truncated", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float[] readValues(DataInputStream in, int count) throws IOException {
        byte[] bytes = new byte[4 * count];
        in.readFully(bytes);
        float[] values = new float[count];
        ByteBuffer.wrap(bytes).asFloatBuffer().get(values);
        return values;
    }
}
