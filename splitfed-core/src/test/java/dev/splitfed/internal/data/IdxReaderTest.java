package dev.splitfed.internal.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    @Test
    void writtenArrayReadsBackWithSameDimsAndBytes() throws IOException {
        byte[] data = new byte[2 * 3 * 4];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 11);
        }
        Path file = dir.resolve("a.gz");
        IdxWriter.write(file, new IdxArray(new int[] {2, 3, 4}, data));

        IdxArray read = IdxReader.read(file);

        assertThat(read.dims()).containsExactly(2, 3, 4);
        assertThat(read.data()).isEqualTo(data);
        assertThat(read.count()).isEqualTo(2);
        assertThat(read.unsigned(23)).isEqualTo(253);
    }

    @Test
    void writerIsByteForByteReproducible() throws IOException {
        IdxArray array = new IdxArray(new int[] {5}, new byte[] {1, 2, 3, 4, 5});
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        IdxWriter.write(first, array);
        IdxWriter.write(second, array);
        assertThat(first.toByteArray()).isEqualTo(second.toByteArray());
    }

    @Test
    void wrongMagicIsRejectedNamingTheFile() throws IOException {
        Path file = gzip("bad-magic.gz", bytes(0x12, 0x34, 0x08, 0x01, 0, 0, 0, 1, 7));
        assertThatThrownBy(() -> IdxReader.read(file))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(file + " is not an IDX file: it starts with 0x12340801 instead of 0x0000 and a type code.");
    }

    @Test
    void nonByteElementTypeIsRejectedNamingTheType() throws IOException {
        Path file = gzip("floats.gz", bytes(0, 0, 0x0D, 0x01, 0, 0, 0, 1, 0, 0, 0, 0));
        assertThatThrownBy(() -> IdxReader.read(file))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(file + " holds IDX element type 0x0D, but only unsigned bytes (0x08) are supported.");
    }

    @Test
    void nonPositiveDimensionIsRejected() throws IOException {
        Path file = gzip("negative.gz", bytes(0, 0, 0x08, 0x02, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFB));
        assertThatThrownBy(() -> IdxReader.read(file))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(file + " declares dimension 1 as -5, but every dimension must be at least 1.");
    }

    @Test
    void plainFileIsRejectedAsNotGzip() throws IOException {
        Path file = dir.resolve("plain.gz");
        Files.write(file, bytes(0, 0, 0x08, 0x01, 0, 0, 0, 1, 7));
        assertThatThrownBy(() -> IdxReader.read(file))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(file + " is not a gzip file.");
    }

    @Test
    void shortDataIsReportedWithExpectedAndFoundByteCounts() throws IOException {
        byte[] content = new byte[16 + 1000];
        System.arraycopy(bytes(0, 0, 0x08, 0x03, 0, 0, 0xEA, 0x60, 0, 0, 0, 28, 0, 0, 0, 28), 0, content, 0, 16);
        Path file = gzip("train-images-idx3-ubyte.gz", content);
        assertThatThrownBy(() -> IdxReader.read(file))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(file + " is truncated: expected 47040000 bytes of data after the header, found 1000.");
    }

    @Test
    void cutGzipFileIsReportedAsTruncated() throws IOException {
        Path whole = dir.resolve("whole.gz");
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + i / 7);
        }
        IdxWriter.write(whole, new IdxArray(new int[] {100, 1000}, data));
        byte[] gz = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.gz");
        Files.write(cut, Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> IdxReader.read(cut))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(cut + " is truncated: its gzip stream ends before the compressed data does.");
    }

    @Test
    void bytesAfterTheAnnouncedDataAreRejected() throws IOException {
        Path file = gzip("trailing.gz", bytes(0, 0, 0x08, 0x01, 0, 0, 0, 2, 7, 8, 9));
        assertThatThrownBy(() -> IdxReader.read(file))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(file + " has unexpected bytes after the 2 bytes of data its header announces.");
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("absent.gz");
        assertThatThrownBy(() -> IdxReader.read(file))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the IDX file " + file + " does not exist.");
    }

    private Path gzip(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content);
        }
        return file;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
