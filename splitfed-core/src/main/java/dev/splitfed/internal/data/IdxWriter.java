package dev.splitfed.internal.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes gzip-compressed IDX files of unsigned bytes, the inverse of {@link IdxReader}.
 *
 * <p>The output is byte-for-byte reproducible: Java's gzip header carries no timestamp, so the same
 * array always gives the same file.
 */
public final class IdxWriter {

    private IdxWriter() {}

    /**
     * Writes {@code array} to {@code file}, replacing it if it exists.
     *
     * @param file the {@code .gz} file to write
     * @param array the dimensions and bytes
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, IdxArray array) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, array);
        }
    }

    /**
     * Writes {@code array} gzip-compressed to {@code out}, which the caller closes.
     *
     * @param out receives the compressed bytes
     * @param array the dimensions and bytes
     * @throws IOException if writing fails
     */
    public static void write(OutputStream out, IdxArray array) throws IOException {
        GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16);
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(gz, 1 << 16));
        data.writeShort(0);
        data.writeByte(IdxReader.UNSIGNED_BYTE);
        data.writeByte(array.dims().length);
        for (int d : array.dims()) {
            data.writeInt(d);
        }
        data.write(array.data());
        data.flush();
        // finish() rather than close(): the caller owns out.
        gz.finish();
    }
}
