package dev.splitfed.internal.data;

import dev.splitfed.internal.digest.Sha256;
import dev.splitfed.data.DataSplit;
import dev.splitfed.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the full Fashion-MNIST files, downloading them if need be, and loads them.
 *
 * <p>Places are tried in this order:
 * <ol>
 *   <li>a directory given explicitly ({@code --data-dir});
 *   <li>the directory in the environment variable {@code SPLITFED_DATA};
 *   <li>{@code /usr/share/datasets/fashion-mnist}, where Debian's {@code dataset-fashion-mnist}
 *       package puts the files;
 *   <li>the user cache, {@code $XDG_CACHE_HOME/splitfed/fashion-mnist} or
 *       {@code ~/.cache/splitfed/fashion-mnist}, into which missing files are downloaded from the
 *       Fashion-MNIST authors' server and checked against known SHA-256 hashes.
 * </ol>
 * An explicit place that lacks the files is an error. When no place was given explicitly and the
 * download fails, the caller decides: fall back to the bundled {@link FashionMnistSample}, or fail
 * with the same one-sentence error.
 */
public final class FashionMnistLocator {

    /** The environment variable that names a directory holding the files. */
    public static final String ENV_VAR = "SPLITFED_DATA";

    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final Path SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** The Fashion-MNIST authors' download location; file names are resolved against it. */
    public static final URI DOWNLOAD_BASE =
            URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");

    /**
     * SHA-256 of each file's decompressed content.
     *
     * <p>Hashes are of the IDX bytes, not of the {@code .gz} files: Debian re-compressed the files,
     * so its {@code .gz} bytes differ from the upstream ones while the content is identical, and a
     * hash of the content accepts either copy while still pinning the data. Computed with
     * {@code zcat FILE | sha256sum} on Debian's copy.
     */
    static final Map<String, String> SHA256 = Map.of(
            FashionMnist.TRAIN_IMAGES, "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            FashionMnist.TRAIN_LABELS, "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            FashionMnist.TEST_IMAGES, "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            FashionMnist.TEST_LABELS, "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    private static final Logger LOG = LoggerFactory.getLogger(FashionMnistLocator.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    // Covers the wait for the response headers only; the body of a slow download may take longer.
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, String> env;
    private final Path systemDir;
    private final Path cacheDir;
    private final URI downloadBase;
    private final Map<String, String> expectedSha256;

    /**
     * Creates a locator that uses the standard places.
     *
     * @param env the process environment ({@code System.getenv()}), read for {@code SPLITFED_DATA},
     *     {@code XDG_CACHE_HOME} and {@code HOME}
     */
    public FashionMnistLocator(Map<String, String> env) {
        this(env, SYSTEM_DIR, defaultCacheDir(env), DOWNLOAD_BASE, SHA256);
    }

    /**
     * Creates a locator with its places chosen by the caller, e.g. temporary directories in tests.
     *
     * @param env the environment, read for {@code SPLITFED_DATA}
     * @param systemDir the system-wide directory to look in
     * @param cacheDir the directory files are downloaded into
     * @param downloadBase the URL the file names are resolved against
     * @param expectedSha256 SHA-256 (lower-case hex) of each file's decompressed content
     */
    FashionMnistLocator(
            Map<String, String> env,
            Path systemDir,
            Path cacheDir,
            URI downloadBase,
            Map<String, String> expectedSha256) {
        this.env = Map.copyOf(env);
        this.systemDir = Objects.requireNonNull(systemDir, "systemDir");
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
        String base = downloadBase.toString();
        this.downloadBase = base.endsWith("/") ? downloadBase : URI.create(base + "/");
        this.expectedSha256 = Map.copyOf(expectedSha256);
    }

    /**
     * Returns the user cache directory for the files: {@code $XDG_CACHE_HOME/splitfed/fashion-mnist}
     * if that variable holds an absolute path, else {@code ~/.cache/splitfed/fashion-mnist}.
     *
     * @param env the environment, read for {@code XDG_CACHE_HOME} and {@code HOME}
     * @return the cache directory (which may not exist yet)
     */
    public static Path defaultCacheDir(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        // The XDG base-directory spec says relative paths there are invalid and must be ignored.
        if (xdg != null && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "splitfed", "fashion-mnist");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".cache", "splitfed", "fashion-mnist");
    }

    /**
     * Finds and loads Fashion-MNIST.
     *
     * @param dataDir a directory given explicitly by the user, or null
     * @param allowSample whether to fall back to the bundled sample when nothing was given
     *     explicitly and the files are neither installed nor downloadable
     * @return the full data set, or the bundled sample ({@link DataSplit#sample()} true)
     * @throws InvalidInputException if an explicit place lacks the files, if a file is invalid, or
     *     if nothing is found and {@code allowSample} is false
     */
    public DataSplit locate(Path dataDir, boolean allowSample) {
        if (dataDir != null) {
            return loadExplicit(dataDir, "{data-dir}");
        }
        String fromEnv = env.get(ENV_VAR);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return loadExplicit(Path.of(fromEnv), ENV_VAR);
        }
        if (missingFiles(systemDir).isEmpty()) {
            return FashionMnist.load(systemDir);
        }
        try {
            downloadMissing();
        } catch (IOException e) {
            String reason = "Fashion-MNIST is neither in " + systemDir + " nor in " + cacheDir
                    + ", and downloading it failed (" + e.getMessage() + ")";
            if (allowSample) {
                // The caller shows the source to the user; a log line would say it twice.
                LOG.debug("{}; using the {}", reason, FashionMnistSample.SOURCE);
                DataSplit sample = FashionMnistSample.load();
                return new DataSplit(sample.train(), sample.test(), sample.source() + ", since " + reason, true);
            }
            throw new InvalidInputException(reason + "; " + waysToGetData(), e);
        }
        return FashionMnist.load(cacheDir);
    }

    private DataSplit loadExplicit(Path dir, String origin) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException(
                    "the Fashion-MNIST directory " + dir + " (from " + origin + ") does not exist; "
                            + waysToGetData());
        }
        List<String> missing = missingFiles(dir);
        if (!missing.isEmpty()) {
            throw new InvalidInputException(
                    "the Fashion-MNIST directory " + dir + " (from " + origin + ") lacks "
                            + String.join(", ", missing) + "; " + waysToGetData());
        }
        return FashionMnist.load(dir);
    }

    private String waysToGetData() {
        return "to get the four files, install them with `apt-get install dataset-fashion-mnist`"
                + " (into " + SYSTEM_DIR + "), pass {data-dir} DIR or set " + ENV_VAR
                + "=DIR to a directory that holds them, allow network access so that splitfed"
                + " downloads them into " + cacheDir + " when neither is set, or use"
                + " {dataset} fashion-mnist-sample for the bundled 10% sample.";
    }

    private static List<String> missingFiles(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String file : FashionMnist.FILE_NAMES) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                missing.add(file);
            }
        }
        return missing;
    }

    private void downloadMissing() throws IOException {
        List<String> missing = missingFiles(cacheDir);
        if (missing.isEmpty()) {
            return;
        }
        Files.createDirectories(cacheDir);
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        for (String file : missing) {
            download(client, file);
        }
    }

    /** Downloads one file to a temporary name, checks its hash, then renames it into place. */
    private void download(HttpClient client, String file) throws IOException {
        URI uri = downloadBase.resolve(file);
        LOG.info("Downloading {} into {}", uri, cacheDir);
        Path temp = Files.createTempFile(cacheDir, file + ".", ".part");
        try {
            fetch(client, uri, temp);
            String actual = decompressedSha256(temp, uri);
            String expected = expectedSha256.get(file);
            if (!actual.equals(expected)) {
                throw new IOException(uri + " sent a file whose decompressed SHA-256 is " + actual
                        + " instead of " + expected + ", so it was discarded");
            }
            // A reader never sees a half-written file: the name appears only once the file is whole.
            Files.move(temp, cacheDir.resolve(file), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException deleteFailure) {
                e.addSuppressed(deleteFailure);
            }
            throw e;
        }
    }

    private static void fetch(HttpClient client, URI uri, Path target) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).GET().build();
        HttpResponse<Path> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofFile(target));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while downloading " + uri);
        } catch (IOException e) {
            String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IOException("could not fetch " + uri + ": " + detail, e);
        }
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered HTTP " + response.statusCode());
        }
    }

    private static String decompressedSha256(Path gzFile, URI uri) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        try (InputStream in = new DigestInputStream(
                new GZIPInputStream(Files.newInputStream(gzFile), 1 << 16), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new IOException(uri + " did not send a valid gzip file (" + e.getMessage() + ")", e);
        }
        return Sha256.finish(digest);
    }
}
