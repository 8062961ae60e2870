package dev.splitfed.scheme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
