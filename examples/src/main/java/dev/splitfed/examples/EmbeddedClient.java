package dev.splitfed.examples;

import dev.splitfed.InvalidInputException;
import dev.splitfed.grpc.ClientRunner;
import dev.splitfed.grpc.Pki;
import dev.splitfed.grpc.TlsMaterial;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A JVM application that embeds a deployed client: it joins a run served by {@code splitfed server}
 * over mutual TLS, receives the run's settings, loads only its own part of the data, and trains
 * whenever the server gives it a turn, until the run is over. Nothing here is a command-line class;
 * {@link ClientRunner} from the gRPC module does the work.
 *
 * <p>Try it with three terminals (from the repository root):
 *
 * <pre>
 * ./splitfed certs --out certs --clients 2
 * ./splitfed server --port 7443 --certs certs --clients 2 --rounds 2 --dataset fashion-mnist-sample --limit 600
 * mvn -q -pl examples -am compile exec:java -Dexec.mainClass=dev.splitfed.examples.EmbeddedClient \
 *     -Dexec.args="localhost:7443 certs 0"
 * </pre>
 *
 * and a second client ({@code ... -Dexec.args="localhost:7443 certs 1"}, or
 * {@code ./splitfed client --server localhost:7443 --certs certs --client-id 1}).
 */
public final class EmbeddedClient {

    private EmbeddedClient() {}

    /**
     * Joins a served run as one client and trains until the run is over.
     *
     * @param host the server's host name, as its certificate names it
     * @param port the server's port
     * @param certs a directory with {@code ca.crt}, {@code client-<id>.crt} and {@code client-<id>.key}
     *     ({@code splitfed certs} writes them)
     * @param clientId this client's id; the server accepts it only with that id's certificate
     * @param log receives progress lines, among them how many samples the client holds
     * @return the number of rounds the client trained
     * @throws InvalidInputException if a certificate is missing or the run's settings do not fit
     */
    public static int join(String host, int port, Path certs, int clientId, PrintWriter log) {
        ClientRunner client = ClientRunner.builder()
                .setServer(host, port)
                .setClientId(clientId)
                .setTls(TlsMaterial.read(certs, Pki.CLIENT_PREFIX + clientId))
                // The run's settings come from the server; what a device decides for itself is set here.
                .optThreads(1)
                .optGiveUpAfter(Duration.ofMinutes(2))
                .optLog(log)
                .build();
        return client.run();
    }

    /**
     * Joins the run at {@code HOST:PORT} as client {@code ID} with the certificates in {@code CERTS}.
     *
     * @param args {@code HOST:PORT CERTS ID}
     */
    public static void main(String[] args) {
        if (args.length != 3 || !args[0].matches(".+:[0-9]{1,5}") || !args[2].matches("[0-9]+")) {
            throw new InvalidInputException("usage: EmbeddedClient HOST:PORT CERTS_DIR CLIENT_ID, e.g. localhost:7443 certs 0");
        }
        int colon = args[0].lastIndexOf(':');
        // The runner's log ends with the rounds this client trained.
        join(args[0].substring(0, colon), Integer.parseInt(args[0].substring(colon + 1)), Path.of(args[1]),
                Integer.parseInt(args[2]), new PrintWriter(System.out, true));
    }
}
