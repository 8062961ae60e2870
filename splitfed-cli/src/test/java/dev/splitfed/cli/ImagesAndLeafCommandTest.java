package dev.splitfed.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --dataset images:DIR} and {@code --dataset leaf:DIR} from the command line: a short run on
 * each (an owner-layout image folder resized with {@code --image-size}, FEMNIST-like and
 * Shakespeare-like LEAF files the test writes), and refusals with exit status 2 and one sentence.
 */
class ImagesAndLeafCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** A grey PNG whose top half (class 0) or bottom half (class 1) is bright, with a little per-image shading. */
    private static void image(Path file, int size, int label, int shade) throws IOException {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                boolean bright = label == 0 ? y < size / 2 : y >= size / 2;
                image.getRaster().setSample(x, y, 0, bright ? 200 + shade : 20 + shade);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    /** {@code DIR/train/<owner>/<class>/*} for two owners and {@code DIR/test/<class>/*}, 14x14 images. */
    private Path imageFolder() throws IOException {
        Path dir = tmp.resolve("images");
        for (String owner : List.of("alice", "bob")) {
            for (int i = 0; i < 4; i++) {
                image(dir.resolve("train/" + owner + "/top/" + i + ".png"), 14, 0, i * 5);
                image(dir.resolve("train/" + owner + "/bottom/" + i + ".png"), 14, 1, i * 5);
            }
        }
        for (int i = 0; i < 2; i++) {
            image(dir.resolve("test/top/" + i + ".png"), 14, 0, i * 3);
            image(dir.resolve("test/bottom/" + i + ".png"), 14, 1, i * 3);
        }
        return dir;
    }

    private static void leafFile(Path file, List<String> users, List<List<Object>> xs, List<List<Object>> ys)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode names = root.putArray("users");
        ArrayNode counts = root.putArray("num_samples");
        ObjectNode data = root.putObject("user_data");
        for (int u = 0; u < users.size(); u++) {
            names.add(users.get(u));
            counts.add(xs.get(u).size());
            ObjectNode entry = data.putObject(users.get(u));
            entry.set("x", JSON.valueToTree(xs.get(u)));
            entry.set("y", JSON.valueToTree(ys.get(u)));
        }
        Files.createDirectories(file.getParent());
        JSON.writeValue(file.toFile(), root);
    }

    /** FEMNIST-like: 784 pixels, classes 0 to 2; train users w0, w1, w2 with 4 samples each, test 1 each. */
    private Path femnist() throws IOException {
        Path dir = tmp.resolve("femnist");
        for (String split : List.of("train", "test")) {
            List<String> users = List.of("w0", "w1", "w2");
            List<List<Object>> xs = new ArrayList<>();
            List<List<Object>> ys = new ArrayList<>();
            for (int u = 0; u < 3; u++) {
                List<Object> x = new ArrayList<>();
                List<Object> y = new ArrayList<>();
                for (int i = 0; i < (split.equals("train") ? 4 : 1); i++) {
                    int label = (u + i) % 3;
                    float[] pixels = new float[784];
                    for (int p = 0; p < 784; p++) {
                        pixels[p] = (p / 28) / 10 == label ? 0f : 1f;
                    }
                    x.add(pixels);
                    y.add(label);
                }
                xs.add(x);
                ys.add(y);
            }
            leafFile(dir.resolve(split + "/data.json"), users, xs, ys);
        }
        return dir;
    }

    /** Shakespeare-like: 80-character texts of two roles, each followed by its next character. */
    private Path shakespeare() throws IOException {
        Path dir = tmp.resolve("shakespeare");
        String play = ("But soft, what light through yonder window breaks? It is the east, and Juliet is the sun. "
                + "Arise, fair sun, and kill the envious moon, who is already sick and pale with grief. ").repeat(2);
        for (String split : List.of("train", "test")) {
            List<List<Object>> xs = new ArrayList<>();
            List<List<Object>> ys = new ArrayList<>();
            for (int u = 0; u < 2; u++) {
                List<Object> x = new ArrayList<>();
                List<Object> y = new ArrayList<>();
                for (int i = 0; i < (split.equals("train") ? 6 : 2); i++) {
                    int at = u * 40 + i * 7 + (split.equals("train") ? 0 : 3);
                    x.add(play.substring(at, at + 80));
                    y.add(play.substring(at + 80, at + 81));
                }
                xs.add(x);
                ys.add(y);
            }
            leafFile(dir.resolve(split + "/data.json"), List.of("ROMEO", "JULIET"), xs, ys);
        }
        return dir;
    }

    private SimulateCommandTest.Outcome simulate(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("simulate", "--rounds", "1", "--threads", "1", "--quiet",
                "--out", out.toString()));
        args.addAll(List.of(more));
        return SimulateCommandTest.run(args.toArray(String[]::new));
    }

    @Test
    void imageFolderOfOwnersTrainsLenet5OneClientPerOwner() throws IOException {
        Path out = tmp.resolve("run-images");
        SimulateCommandTest.Outcome o = simulate(out, "--dataset", "images:" + imageFolder(), "--image-size", "28x28",
                "--partition", "natural", "--clients", "2");
        assertThat(o.status()).as(o.err()).isZero();
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("model").get("name").asText()).isEqualTo("lenet5");
        assertThat(Files.readString(out.resolve("config.yaml"))).contains("image-size").contains("28x28");
        JsonNode round = JSON.readTree(Files.readAllLines(out.resolve("metrics.jsonl")).get(0));
        assertThat(round.get("test_accuracy").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void femnistLikeLeafTrainsLenet5OneClientPerUser() throws IOException {
        Path out = tmp.resolve("run-femnist");
        SimulateCommandTest.Outcome o = simulate(out, "--dataset", "leaf:" + femnist(), "--image-size", "28x28",
                "--clients", "3");
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(Files.readString(out.resolve("config.yaml"))).contains("partition: \"natural\"");
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("model").get("name").asText()).isEqualTo("lenet5");
    }

    @Test
    void shakespeareLikeLeafTrainsNextCharacterPrediction() throws IOException {
        Path out = tmp.resolve("run-shakespeare");
        SimulateCommandTest.Outcome o = simulate(out, "--dataset", "leaf:" + shakespeare(), "--clients", "2",
                "--scheme", "sl");
        assertThat(o.status()).as(o.err()).isZero();
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("model").get("name").asText()).isEqualTo("next-word");
        List<String> vocabulary = Files.readAllLines(out.resolve("vocabulary.txt"));
        assertThat(vocabulary.subList(0, 5)).containsExactly("<pad>", "<unk>", "<s>", " ", ",");
        assertThat(vocabulary).contains("J", "y").doesNotContain("Z", "z");
    }

    @Test
    void refusalsExitWithStatusTwoAndOneSentence() throws IOException {
        Path dir = imageFolder();
        image(dir.resolve("train/bob/top/9.png"), 10, 0, 0);
        assertOneSentenceExit2(simulate(tmp.resolve("r1"), "--dataset", "images:" + dir, "--partition", "natural",
                "--clients", "2"), "9.png is 10x10 pixels, but the first image, " + dir.resolve("train/alice/bottom/0.png")
                + ", is 14x14; give --image-size to resize every image to one size.");

        Path leaf = femnist();
        Files.writeString(leaf.resolve("train/data.json"), "{\"users\": [\"w0\"], \"num_samples\": [3], "
                + "\"user_data\": {\"w0\": {\"x\": [], \"y\": []}}}");
        assertOneSentenceExit2(simulate(tmp.resolve("r2"), "--dataset", "leaf:" + leaf, "--clients", "1"),
                leaf.resolve("train/data.json") + " gives user w0 3 samples in num_samples, but its user_data holds 0.");

        assertOneSentenceExit2(simulate(tmp.resolve("r3"), "--dataset", "leaf:" + shakespeare(), "--channels", "1"),
                "--channels does not apply to data set leaf; it applies to images.");
    }

    private static void assertOneSentenceExit2(SimulateCommandTest.Outcome o, String expected) {
        assertThat(o.status()).as(o.err()).isEqualTo(2);
        assertThat(o.err()).contains(expected).doesNotContain("Exception").doesNotContain("\tat ");
        List<String> lines = o.err().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as(o.err()).hasSizeBetween(1, 2);
        assertThat(lines.get(0)).startsWith("splitfed: ").endsWith(".");
    }
}
