package dev.splitfed.cli;

import dev.splitfed.InvalidInputException;
import dev.splitfed.grpc.ClientRunner;
import dev.splitfed.grpc.HostPort;
import dev.splitfed.grpc.TlsMaterial;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code splitfed client}: one data owner joining a served run. */
@Command(
        name = "client",
        header = "Joins a served run as one data owner and trains on that owner's data.",
        modelTransformer = SettingsOptions.GroupedHelp.class,
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        sortOptions = false,
        description = {
            "Joins a run served by splitfed server, receives its settings, loads only this client's data (its "
                    + "part of the run's data set and partition, or all of its own files with --data-dir), and trains "
                    + "whenever the server gives it a turn, until the run is over. It keeps trying while the server is "
                    + "unreachable (a restart) and waits for the next round if it misses one.",
            "",
            "Example: splitfed client --server localhost:7443 --certs certs --client-id 0",
            ""
        })
final class ClientCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--server", required = true, paramLabel = "HOST:PORT",
            description = "Where the server listens. Example: --server fed.example.org:7443")
    private String server;

    @Option(names = "--client-id", required = true, paramLabel = "ID",
            description = "This client's id; its certificate is client-<ID>. Example: --client-id 3")
    private int clientId;

    @Option(names = "--client-index", paramLabel = "I",
            description = "Which part of the partition this client holds (default: its id). Example: --client-index 3")
    private Integer clientIndex;

    @Option(names = "--certs", defaultValue = "certs", paramLabel = "DIR",
            description = "Directory with ca.crt, client-<ID>.crt and client-<ID>.key. Example: --certs /etc/splitfed")
    private Path certs;

    @Option(names = "--insecure", description = "Plaintext, for a server started with --insecure. Example: --insecure")
    private boolean insecure;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "Data set to take this client's part from (default: the run's). Example: --dataset fashion-mnist")
    private String dataset;

    @Option(names = "--partition", paramLabel = "SPEC",
            description = "How the data set is divided (default: the run's). Example: --partition dirichlet:0.5")
    private String partition;

    @Option(names = "--clients", paramLabel = "K",
            description = "Into how many parts (default: the run's). Example: --clients 10")
    private Integer clients;

    @Option(names = {"--data-dir", "--data"}, paramLabel = "PATH",
            description = "This client's own data, all of it for training, no partition (a hospital's own records): "
                    + "for csv, images and leaf runs its own table, image folder (PATH/<class>/*) or LEAF file, read "
                    + "with the run's schema, which the server sends; for the other data sets a directory of the data "
                    + "set's files; --data is the same option. Example: --data-dir /srv/hospital-a/patients.csv")
    private Path dataDir;

    @Option(names = "--schema-sha256", paramLabel = "HEX",
            description = "With --data: the SHA-256 of the data schema agreed with the server (it prints it at "
                    + "start); a server that sends another schema is refused. Example: --schema-sha256 3fa0...")
    private String schemaDigest;

    @Option(names = "--model-dir", paramLabel = "DIR",
            description = "With a TorchScript model: this client's own copy of the stages, instead of receiving them "
                    + "from the server; each stage it trains must have the server's SHA-256. Example: --model-dir model")
    private Path modelDir;

    @Option(names = "--vocabulary", paramLabel = "FILE",
            description = "With --data-dir and a run on words (fortunes): the run's vocabulary, the server's "
                    + "OUT/vocabulary.txt, which this client's text is read with. Example: --vocabulary vocabulary.txt")
    private Path vocabulary;

    @Option(names = "--threads", paramLabel = "T",
            description = "PyTorch threads (default: the number of cores). Example: --threads 1")
    private Integer threads;

    @Option(names = "--give-up-after", defaultValue = "10m", converter = DurationConverter.class, paramLabel = "TIME",
            description = "How long to keep trying while the server is unreachable. Example: --give-up-after 1h")
    private Duration giveUpAfter;

    @Override
    public Integer call() {
        HostPort at = HostPort.parse(server, "{server}");
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        ClientRunner.Builder builder = ClientRunner.builder()
                .setServer(at.host(), at.port())
                .setClientId(clientId)
                .optClientIndex(clientIndex)
                .optDataset(dataset)
                .optPartition(partition)
                .optClients(clients)
                .optDataDir(dataDir)
                .optSchemaDigest(schemaDigest)
                .optModelDir(modelDir)
                .optVocabulary(vocabulary)
                .optThreads(threads)
                .optGiveUpAfter(giveUpAfter)
                .optLog(stdout);
        if (insecure) {
            stderr.println("Warning: --insecure: plaintext, without authentication.");
            builder.setInsecure();
        } else {
            builder.setTls(TlsMaterial.read(certs, "client-" + clientId));
        }
        builder.build().run();
        return 0;
    }
}
