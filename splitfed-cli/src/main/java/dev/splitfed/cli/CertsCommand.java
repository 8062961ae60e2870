package dev.splitfed.cli;

import dev.splitfed.InvalidInputException;
import dev.splitfed.grpc.Pki;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code splitfed certs}: a certificate authority and certificates for trying a deployment out. */
@Command(
        name = "certs",
        header = "Makes the certificate authority and the certificates that mutual TLS needs.",
        modelTransformer = SettingsOptions.GroupedHelp.class,
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        sortOptions = false,
        description = {
            "Makes a certificate authority (ca.crt), a server certificate (server.crt, server.key) for the given "
                    + "host names, a certificate the fed server shows a main server it controls (fed-server.crt, fed-"
                    + "server.key), and one certificate per client (client-<id>.crt, client-<id>.key) whose common name is "
                    + "its identity: a server accepts only clients with a certificate of this CA, and each only for its own"
                    + " id. For production, use certificates from your own PKI instead.",
            "",
            "Example: splitfed certs --out certs --clients 5 --hosts localhost,127.0.0.1,fed.example.org",
            ""
        })
final class CertsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", defaultValue = "certs", paramLabel = "DIR",
            description = "Directory to write the files into. Example: --out certs")
    private Path out;

    @Option(names = "--clients", defaultValue = "5", paramLabel = "K",
            description = "Client certificates to make, for ids 0 to K-1. Example: --clients 10")
    private int clients;

    @Option(names = "--hosts", defaultValue = "localhost,127.0.0.1", split = ",", paramLabel = "LIST",
            description = "Host names and addresses the server is reached by. Example: --hosts localhost,10.0.0.5")
    private List<String> hosts;

    @Override
    public Integer call() throws IOException {
        if (clients < 1) {
            throw new InvalidInputException("clients must be at least 1, got " + clients);
        }
        if (Files.exists(out.resolve("ca.crt"))) {
            throw new InvalidInputException(out + " already holds certificates (ca.crt); choose another --out");
        }
        Files.createDirectories(out);
        Pki pki = Pki.create();
        Files.writeString(out.resolve("ca.crt"), pki.caPem(), StandardCharsets.US_ASCII);
        pki.server(hosts).write(out, "server");
        pki.fedServer().write(out, "fed-server");
        for (int id = 0; id < clients; id++) {
            pki.client(id).write(out, Pki.CLIENT_PREFIX + id);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("wrote ca.crt, server.crt/.key (%s), fed-server.crt/.key and client-0 .. client-%d certificates"
                        + " into %s%n",
                String.join(", ", hosts), clients - 1, out);
        return 0;
    }
}
