package dev.splitfed.scheme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsExactly() {
        float[] w = {0.5f, -1.25f, Float.MIN_VALUE, 3e38f};
        new Checkpoint(7, w).write(dir);
        Checkpoint back = Checkpoint.read(dir);
        assertThat(back.round()).isEqualTo(7);
        assertThat(back.globalWeights()).containsExactly(w);
        assertThat(dir.resolve(Checkpoint.FILE + ".tmp")).doesNotExist();
    }

    @Test
    void serverStateRoundTripsExactly() {
        float[] m = {1e-7f, -2.5f};
        new Checkpoint(3, new float[] {1, 2}, new TreeMap<>(Map.of("fed-optimizer", m, "main-optimizer", new float[0])))
                .write(dir);
        Checkpoint back = Checkpoint.read(dir);
        assertThat(back.round()).isEqualTo(3);
        assertThat(back.globalWeights()).containsExactly(1, 2);
        assertThat(back.serverState()).containsOnlyKeys("fed-optimizer", "main-optimizer");
        assertThat(back.serverState().get("fed-optimizer")).containsExactly(m);
        assertThat(back.serverState().get("main-optimizer")).isEmpty();
    }

    @Test
    void aVersionOneCheckpointIsStillRead() throws IOException {
        // Version 1: magic, version, round, count, values, CRC-32 of all before it; no state.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x5346434B);
        out.writeInt(1);
        out.writeInt(4);
        out.writeInt(2);
        out.writeFloat(0.25f);
        out.writeFloat(-3f);
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        Files.write(dir.resolve(Checkpoint.FILE), bytes.toByteArray());
        Checkpoint back = Checkpoint.read(dir);
        assertThat(back.round()).isEqualTo(4);
        assertThat(back.globalWeights()).containsExactly(0.25f, -3f);
        assertThat(back.serverState()).isEmpty();
    }

    @Test
    void damagedOrMissingCheckpointsAreRefused() throws IOException {
        assertThatThrownBy(() -> Checkpoint.read(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("holds no checkpoint.bin");
        new Checkpoint(2, new float[] {1, 2, 3}).write(dir);
        Path file = dir.resolve(Checkpoint.FILE);
        byte[] bytes = Files.readAllBytes(file);
        bytes[20] ^= 1;
        Files.write(file, bytes);
        assertThatThrownBy(() -> Checkpoint.read(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("damaged");
        Files.write(file, new byte[10]);
        assertThatThrownBy(() -> Checkpoint.read(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("truncated");
    }
}
