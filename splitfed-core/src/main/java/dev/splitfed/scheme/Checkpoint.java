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
import java.util.zip.CRC32;

/**
 * The state a run needs to continue after a completed round: the round and the global weights.
 *
 * <p>Nothing else is needed, because every random stream is derived from the seed, the round and
 * the client, and every party starts a round with fresh optimizer state: a run resumed from round
 * r's checkpoint trains rounds r+1.. exactly as the uninterrupted run does.
 *
 * <p>File format: magic {@code SFCK}, version, round, value count, float32 values (big-endian),
 * CRC-32 of everything before it. Written to a temporary file and renamed into place, so a crash
 * leaves the previous checkpoint whole.
 *
 * @param round the last completed round
 * @param globalWeights the global model after it: client-side values, then server-side values
 */
public record Checkpoint(int round, float[] globalWeights) {

    /** The file name inside a run's out directory. */
    public static final String FILE = "checkpoint.bin";

    private static final int MAGIC = 0x5346434B; // "SFCK"
    private static final int VERSION = 1;

    /**
     * Writes the checkpoint into {@code dir} atomically.
     *
     * @param dir the run's out directory
     */
    public void write(Path dir) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(24 + 4 * globalWeights.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(round);
            out.writeInt(globalWeights.length);
            ByteBuffer values = ByteBuffer.allocate(4 * globalWeights.length);
            values.asFloatBuffer().put(globalWeights);
            out.write(values.array());
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
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new InvalidInputException(file + " is not a splitfed checkpoint of version " + VERSION);
            }
            int round = in.readInt();
            int n = in.readInt();
            if (round < 1 || n < 1 || 16L + 4L * n != all.length - 8) {
                throw new InvalidInputException(file + " is damaged (round " + round + ", " + n + " values)");
            }
            byte[] values = new byte[4 * n];
            in.readFully(values);
            float[] weights = new float[n];
            ByteBuffer.wrap(values).asFloatBuffer().get(weights);
            return new Checkpoint(round, weights);
        } catch (EOFException e) {
            throw new InvalidInputException(file + " is truncated", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
