package dev.splitfed.internal.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconstructionGridTest {

    @TempDir
    Path tmp;

    @Test
    void writesOriginalsAboveReconstructionsMagnified() throws Exception {
        // Three 1 x 2 x 3 images: originals all 1 (white), reconstructions 0.5 except pixel (1, 2) of image 1.
        float[] originals = new float[18];
        float[] reconstructions = new float[18];
        java.util.Arrays.fill(originals, 1f);
        java.util.Arrays.fill(reconstructions, 0.5f);
        reconstructions[6 + 5] = 0f;
        Path file = tmp.resolve("grid.png");
        ReconstructionGrid.write(file, originals, reconstructions, new int[] {1, 2, 3}, 2);
        BufferedImage image = ImageIO.read(file.toFile());
        // Width: gap + 2 * (3 * 2 + gap); height: gap + 2 * (2 * 2 + gap).
        assertThat(image.getWidth()).isEqualTo(4 + 2 * (6 + 4));
        assertThat(image.getHeight()).isEqualTo(4 + 2 * (4 + 4));
        int top = 4 + 4 + 4;
        assertThat(image.getRaster().getSample(4, 4, 0)).isEqualTo(255);
        assertThat(image.getRaster().getSample(4, top, 0)).isEqualTo(128);
        int left = 4 + 6 + 4;
        // Pixel (row 1, column 2) of image 1, magnified to a 2 x 2 block.
        assertThat(image.getRaster().getSample(left + 4, top + 2, 0)).isZero();
        assertThat(image.getRaster().getSample(left + 5, top + 3, 0)).isZero();
        assertThat(image.getRaster().getSample(left + 3, top + 3, 0)).isEqualTo(128);
    }
}
