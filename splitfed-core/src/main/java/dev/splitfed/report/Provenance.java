package dev.splitfed.report;

import ai.djl.engine.Engine;
import dev.splitfed.engine.Torch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What produced a run: the versions of splitfed, DJL, PyTorch and Java, the machine, and the git
 * revision of the working directory when there is one (Tribuo-style provenance).
 */
public final class Provenance {

    private Provenance() {}

    /** Returns splitfed's own version. */
    public static String splitfedVersion() {
        Properties p = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream("/dev/splitfed/version.properties")) {
            if (in == null) {
                throw new IllegalStateException("dev/splitfed/version.properties is missing from the classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    /**
     * Returns the provenance of a run started now.
     *
     * @return key to value, in a stable order
     */
    public static Map<String, Object> current() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("splitfed", splitfedVersion());
        m.put("djl", Engine.getDjlVersion());
        m.put("pytorch", Torch.version());
        m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        String git = gitRevision();
        if (git != null) {
            m.put("git_revision", git);
        }
        return m;
    }

    // Best effort: a run outside a git checkout, or without git installed, simply has no revision.
    private static String gitRevision() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0 || !out.matches("[0-9a-f]{40}")) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
