package dev.splitfed.internal.data;

import dev.splitfed.InvalidInputException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads gzip-compressed IDX files of unsigned bytes, the format of MNIST and Fashion-MNIST.
 *
 * <p>An IDX file is a magic number {@code 0x00 0x00 TYPE NDIM}, then {@code NDIM} big-endian
 * 32-bit dimensions, then the elements in row-major order (LeCun et al., "The MNIST database of
 * handwritten digits", 1998). Only type {@code 0x08} (unsigned byte) is read. Every problem with a
 * file is an {@link InvalidInputException} whose one sentence names the file.
 */
public final class IdxReader {

    /** IDX element type code for unsigned bytes. */
    static final int UNSIGNED_BYTE = 0x08;

    // The largest array most JVMs allocate; a header asking for more is not a file we can hold.
    private static final int MAX_ARRAY_SIZE = Integer.MAX_VALUE - 8;
    private static final int BUFFER_SIZE = 1 << 16;

    private IdxReader() {}

    /**
     * Reads one gzip-compressed IDX file.
     *
     * @param file the {@code .gz} file
     * @return its dimensions and bytes
     * @throws InvalidInputException if the file is missing, unreadable, not gzip or not valid IDX
     */
    public static IdxArray read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("the IDX file " + file + " does not exist.", e);
        } catch (IOException e) {
            throw new InvalidInputException("could not read " + file + ": " + e.getMessage() + ".", e);
        }
    }

    /**
     * Reads one gzip-compressed IDX file from a stream, which the caller closes.
     *
     * @param in the compressed bytes
     * @param name the file name to put in error messages
     * @return its dimensions and bytes
     * @throws InvalidInputException if the stream is not gzip or not valid IDX
     */
    public static IdxArray read(InputStream in, String name) {
        GZIPInputStream gz;
        try {
            gz = new GZIPInputStream(new BufferedInputStream(in, BUFFER_SIZE), BUFFER_SIZE);
        } catch (ZipException | EOFException e) {
            throw new InvalidInputException(name + " is not a gzip file.", e);
        } catch (IOException e) {
            throw new InvalidInputException("could not read " + name + ": " + e.getMessage() + ".", e);
        }
        try {
            return readIdx(gz, name);
        } catch (EOFException e) {
            throw new InvalidInputException(
                    name + " is truncated: its gzip stream ends before the compressed data does.", e);
        } catch (ZipException e) {
            throw new InvalidInputException(
                    name + " is a corrupt gzip file (" + e.getMessage() + ").", e);
        } catch (IOException e) {
            throw new InvalidInputException("could not read " + name + ": " + e.getMessage() + ".", e);
        }
    }

    private static IdxArray readIdx(InputStream in, String name) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new InvalidInputException(
                    name + " is truncated: expected a 4-byte IDX magic number, found "
                            + magic.length + " bytes.");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new InvalidInputException(String.format(
                    "%s is not an IDX file: it starts with 0x%02X%02X%02X%02X"
                            + " instead of 0x0000 and a type code.",
                    name, magic[0], magic[1], magic[2], magic[3]));
        }
        int type = magic[2] & 0xFF;
        if (type != UNSIGNED_BYTE) {
            throw new InvalidInputException(String.format(
                    "%s holds IDX element type 0x%02X, but only unsigned bytes (0x08) are supported.",
                    name, type));
        }
        int ndim = magic[3] & 0xFF;
        if (ndim == 0) {
            throw new InvalidInputException(
                    name + " declares 0 dimensions, but an IDX array needs at least 1.");
        }
        byte[] dimBytes = in.readNBytes(4 * ndim);
        if (dimBytes.length < 4 * ndim) {
            throw new InvalidInputException(
                    name + " is truncated: expected " + 4 * ndim + " bytes of dimensions, found "
                            + dimBytes.length + ".");
        }
        ByteBuffer header = ByteBuffer.wrap(dimBytes);
        int[] dims = new int[ndim];
        for (int i = 0; i < ndim; i++) {
            dims[i] = header.getInt();
            if (dims[i] < 1) {
                throw new InvalidInputException(
                        name + " declares dimension " + i + " as " + dims[i]
                                + ", but every dimension must be at least 1.");
            }
        }
        long size = IdxArray.elementCount(dims);
        if (size > MAX_ARRAY_SIZE) {
            throw new InvalidInputException(
                    name + " declares " + size + " elements, more than the " + MAX_ARRAY_SIZE
                            + " one array can hold.");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new InvalidInputException(
                    name + " is truncated: expected " + size + " bytes of data after the header, found "
                            + data.length + ".");
        }
        if (in.read() != -1) {
            throw new InvalidInputException(
                    name + " has unexpected bytes after the " + size
                            + " bytes of data its header announces.");
        }
        return new IdxArray(dims, data);
    }
}
