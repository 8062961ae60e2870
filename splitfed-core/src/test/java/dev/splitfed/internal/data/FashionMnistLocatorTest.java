package dev.splitfed.internal.data;

import dev.splitfed.data.DataSplit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.splitfed.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistLocatorTest {

    @TempDir
    Path tmp;

    private Path served;
    private Path system;
    private Path cache;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        served = tmp.resolve("served");
        system = tmp.resolve("system");
        cache = tmp.resolve("cache");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            Path file = served.resolve(exchange.getRequestURI().getPath().substring(1));
            if (Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(200, Files.size(file));
                try (OutputStream body = exchange.getResponseBody()) {
                    Files.copy(file, body);
                }
            } else {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void explicitDirBeatsEnvironmentWhichBeatsSystemWhichBeatsCache() throws IOException {
        Path explicit = FashionMnistFiles.write(tmp.resolve("explicit"), 11, 1);
        Path fromEnv = FashionMnistFiles.write(tmp.resolve("env"), 12, 1);
        FashionMnistFiles.write(system, 13, 1);
        FashionMnistFiles.write(cache, 14, 1);
        Map<String, String> env = Map.of("SPLITFED_DATA", fromEnv.toString());

        assertThat(locator(env, Map.of()).locate(explicit, false).train().size()).isEqualTo(11);
        assertThat(locator(env, Map.of()).locate(null, false).train().size()).isEqualTo(12);
        assertThat(locator(Map.of(), Map.of()).locate(null, false).train().size()).isEqualTo(13);
        deleteDir(system);
        DataSplit fromCache = locator(Map.of(), Map.of()).locate(null, false);
        assertThat(fromCache.train().size()).isEqualTo(14);
        assertThat(fromCache.source()).isEqualTo(cache.toString());
        assertThat(requests.get()).isZero();
    }

    @Test
    void downloadWithMatchingHashesLoadsAndStaysInCache() throws IOException {
        FashionMnistFiles.write(served, 20, 10);

        DataSplit split = locator(Map.of(), hashesOf(served)).locate(null, false);

        assertThat(split.train().size()).isEqualTo(20);
        assertThat(split.test().size()).isEqualTo(10);
        assertThat(split.sample()).isFalse();
        assertThat(requests.get()).isEqualTo(4);
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(FashionMnist.FILE_NAMES);
        }
        for (String file : FashionMnist.FILE_NAMES) {
            assertThat(Files.readAllBytes(cache.resolve(file))).isEqualTo(Files.readAllBytes(served.resolve(file)));
        }
        // A second run finds the cached copy and asks the server for nothing.
        assertThat(locator(Map.of(), hashesOf(served)).locate(null, false).train().size()).isEqualTo(20);
        assertThat(requests.get()).isEqualTo(4);
    }

    @Test
    void downloadWithWrongHashIsRejectedAndLeavesNothingInCache() throws IOException {
        FashionMnistFiles.write(served, 20, 10);
        Map<String, String> hashes = new HashMap<>(hashesOf(served));
        String wrong = "0".repeat(64);
        hashes.put(FashionMnist.TRAIN_IMAGES, wrong);

        assertThatThrownBy(() -> locator(Map.of(), hashes).locate(null, false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(baseUri() + FashionMnist.TRAIN_IMAGES
                        + " sent a file whose decompressed SHA-256 is " + hashesOf(served).get(FashionMnist.TRAIN_IMAGES)
                        + " instead of " + wrong + ", so it was discarded")
                .hasMessageContaining("apt-get install dataset-fashion-mnist");
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain(FashionMnist.TRAIN_IMAGES)
                    .noneMatch(name -> name.endsWith(".part"));
        }
    }

    @Test
    void explicitDirWithoutFilesNamesTheDirAndEveryWayToGetTheData() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        FashionMnistFiles.write(system, 13, 1);

        assertThatThrownBy(() -> locator(Map.of(), Map.of()).locate(empty, true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the Fashion-MNIST directory " + empty + " (from data-dir) lacks "
                        + "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, "
                        + "t10k-labels-idx1-ubyte.gz; to get the four files, install them with "
                        + "`apt-get install dataset-fashion-mnist` (into /usr/share/datasets/fashion-mnist), "
                        + "pass data-dir DIR or set SPLITFED_DATA=DIR to a directory that holds them, allow "
                        + "network access so that splitfed downloads them into " + cache
                        + " when neither is set, or use dataset fashion-mnist-sample for the bundled 10% sample.");
    }

    @Test
    void missingDirFromEnvironmentIsAnErrorEvenWhenSampleIsAllowed() {
        Path absent = tmp.resolve("absent");
        Map<String, String> env = Map.of("SPLITFED_DATA", absent.toString());

        assertThatThrownBy(() -> locator(env, Map.of()).locate(null, true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("the Fashion-MNIST directory " + absent + " (from SPLITFED_DATA) does not exist; ")
                .hasMessageContaining("apt-get install dataset-fashion-mnist");
    }

    @Test
    void unreachableServerFallsBackToBundledSampleWhenAllowed() {
        server.stop(0);

        DataSplit split = locator(Map.of(), Map.of()).locate(null, true);

        assertThat(split.sample()).isTrue();
        assertThat(split.source()).startsWith("bundled sample (10% of Fashion-MNIST), since ").contains("downloading it failed");
        assertThat(split.train().size()).isEqualTo(6_000);
    }

    @Test
    void unreachableServerIsAnErrorWhenFullSetIsDemanded() {
        // Nothing was written to the served directory, so every file answers 404.

        assertThatThrownBy(() -> locator(Map.of(), Map.of()).locate(null, false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("Fashion-MNIST is neither in " + system + " nor in " + cache
                        + ", and downloading it failed (" + baseUri() + FashionMnist.TRAIN_IMAGES
                        + " answered HTTP 404); ")
                .hasMessageEndingWith("or use dataset fashion-mnist-sample for the bundled 10% sample.");
    }

    @Test
    void cacheDirFollowsXdgThenHome() {
        assertThat(FashionMnistLocator.defaultCacheDir(Map.of("XDG_CACHE_HOME", "/x/cache", "HOME", "/home/u")))
                .isEqualTo(Path.of("/x/cache/splitfed/fashion-mnist"));
        assertThat(FashionMnistLocator.defaultCacheDir(Map.of("XDG_CACHE_HOME", "relative", "HOME", "/home/u")))
                .isEqualTo(Path.of("/home/u/.cache/splitfed/fashion-mnist"));
        assertThat(FashionMnistLocator.defaultCacheDir(Map.of("HOME", "/home/u")))
                .isEqualTo(Path.of("/home/u/.cache/splitfed/fashion-mnist"));
    }

    @Test
    void builtInHashesMatchDebianCopy() throws IOException {
        assumeTrue(Files.isDirectory(FashionMnistLocator.SYSTEM_DIR), "dataset-fashion-mnist is not installed");

        assertThat(hashesOf(FashionMnistLocator.SYSTEM_DIR)).isEqualTo(FashionMnistLocator.SHA256);
    }

    private FashionMnistLocator locator(Map<String, String> env, Map<String, String> hashes) {
        return new FashionMnistLocator(env, system, cache, baseUri(), hashes);
    }

    private URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private static Map<String, String> hashesOf(Path dir) throws IOException {
        Map<String, String> hashes = new HashMap<>();
        for (String file : FashionMnist.FILE_NAMES) {
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
            InputStream gz = new GZIPInputStream(Files.newInputStream(dir.resolve(file)));
            try (InputStream in = new DigestInputStream(gz, digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            hashes.put(file, HexFormat.of().formatHex(digest.digest()));
        }
        return hashes;
    }

    private static void deleteDir(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
