package dev.splitfed.report;

import ai.djl.engine.Engine;
import dev.splitfed.internal.engine.Torch;
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
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null) {
            String revision = git(home, "rev-parse", "HEAD");
            if (revision != null && revision.matches("[0-9a-f]{40}")) {
                m.put("git_revision", revision);
                String status = git(home, "status", "--porcelain", "--untracked-files=no");
                if (status != null) {
                    m.put("git_dirty", !status.isEmpty());
                }
            }
        }
        return m;
    }

    /**
     * The system property naming the splitfed checkout a run was started from; the launcher sets
     * it. Without it, or outside a git checkout, a run records no revision (never another
     * repository's, as asking git in the working directory could).
     */
    public static final String HOME_PROPERTY = "splitfed.home";

    // Best effort: without git, or outside a checkout, the answer is null.
    private static String git(String dir, String... args) {
        String[] command = new String[args.length + 3];
        command[0] = "git";
        command[1] = "-C";
        command[2] = dir;
        System.arraycopy(args, 0, command, 3, args.length);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
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
