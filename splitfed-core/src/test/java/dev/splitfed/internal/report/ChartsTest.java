package dev.splitfed.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.data.ClassHistogram;
import dev.splitfed.scheme.RoundMetrics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ChartsTest {

    static List<RoundMetrics> rounds(String scheme, long bytesPerRound, double... accuracy) {
        List<RoundMetrics> out = new ArrayList<>();
        for (int r = 0; r < accuracy.length; r++) {
            out.add(new RoundMetrics(r + 1, scheme, 5, accuracy[r], 1 - accuracy[r], 1.2 - accuracy[r], 2.0 + r, 0.1,
                    bytesPerRound / 2, bytesPerRound / 2, bytesPerRound, 0, null, null, null, null, null, null, null, null));
        }
        return out;
    }

    /** Asserts a PNG of the chart size whose pixels are not all one colour. */
    static void assertDrawnChart(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(Charts.WIDTH);
        assertThat(image.getHeight()).isEqualTo(Charts.HEIGHT);
        Set<Integer> colours = new HashSet<>();
        long nonWhite = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                if (rgb != 0xFFFFFF) {
                    nonWhite++;
                }
            }
        }
        assertThat(colours.size()).as("distinct colours").isGreaterThan(10);
        assertThat(nonWhite).as("pixels drawn on").isGreaterThan(image.getWidth() * image.getHeight() / 4 / 100);
    }

    @Test
    void accuracyChartsAreDrawn() throws IOException {
        Map<String, List<RoundMetrics>> runs = new LinkedHashMap<>();
        runs.put("fl", rounds("fl", 2_468_240, 0.70, 0.80, 0.85));
        runs.put("sflv1", rounds("sflv1", 564_726_240, 0.71, 0.81, 0.86));
        runs.put("central", rounds("central", 0, 0.75, 0.85, 0.88));
        assertDrawnChart(Charts.accuracyByRound(runs));
        assertDrawnChart(Charts.accuracyByBytes(runs));
        assertDrawnChart(Charts.lossByRound(runs.get("fl")));
    }

    @Test
    void classHistogramIsDrawn() throws IOException {
        int[] labels = {0, 1, 1, 2, 2, 2, 0, 1};
        ClassHistogram h = ClassHistogram.of(new int[][] {{0, 1, 2}, {3, 4, 5, 6, 7}}, labels, 3);
        assertDrawnChart(Charts.classHistogram(h, List.of("a", "b", "c")));
    }
}
