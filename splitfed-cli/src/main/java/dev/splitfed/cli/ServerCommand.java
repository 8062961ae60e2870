package dev.splitfed.cli;

import dev.splitfed.InvalidInputException;
import dev.splitfed.grpc.HostPort;
import dev.splitfed.grpc.RunningServer;
import dev.splitfed.grpc.ServerRunner;
import dev.splitfed.grpc.TlsMaterial;
import dev.splitfed.report.Provenance;
import dev.splitfed.report.RunRecorder;
import dev.splitfed.scheme.Checkpoint;
import dev.splitfed.scheme.Settings;
import dev.splitfed.scheme.SimulationConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code splitfed server}: the fed server, main server and round coordinator for remote clients. */
@Command(
        name = "server",
        header = "Serves a run to clients in other processes over gRPC with mutual TLS.",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        sortOptions = false,
        modelTransformer = SettingsOptions.All.class,
        description = {
            "Serves a run to clients in other processes over gRPC with mutual TLS: it waits for --min-clients, "
                    + "then drives the rounds; a client that is gone or misses the round's deadline is dropped from that "
                    + "round and may rejoin a later one. Every completed round is checkpointed (--resume continues after a "
                    + "crash). The run is recorded as simulate records it.",
            "",
            "Examples:",
            "  splitfed certs --out certs --clients 3",
            "  splitfed server --port 7443 --certs certs --clients 3 --min-clients 3 --rounds 10",
            "  splitfed client --server localhost:7443 --certs certs --client-id 0",
            ""
        })
final class ServerCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--role", defaultValue = "all", paramLabel = "ROLE",
            description = "Which servers this process runs: all (fed server, main server and coordinator), "
                    + "fed (fed server and coordinator; the main server runs elsewhere, see --main-server) or "
                    + "main (only the main server). Example: --role main")
    private String role;

    @Option(names = "--main-server", paramLabel = "HOST:PORT",
            description = "With --role fed: where the main server (--role main) listens. Example: --main-server main.example.org:7444")
    private String mainServer;

    @Option(names = "--port", defaultValue = "7443", paramLabel = "P",
            description = "Port to listen on. Example: --port 50051")
    private int port;

    @Option(names = "--min-clients", paramLabel = "M",
            description = "Clients that must be connected before a round starts (default: --clients). Example: --min-clients 3")
    private Integer minClients;

    @Option(names = "--max-client-samples", defaultValue = "10000000", paramLabel = "N",
            description = "The most training samples a client with data of its own (client --data-dir) may declare when "
                    + "it joins; its FedAvg weight is its sample count, so this bounds how far one client can outweigh "
                    + "the others. Clients of a partitioned data set are bounded by their share. Example: --max-client-samples 50000")
    private long maxClientSamples;

    @Option(names = "--round-timeout", defaultValue = "10m", converter = DurationConverter.class, paramLabel = "TIME",
            description = "How long a round waits for its clients before dropping the missing ones. Example: --round-timeout 90s")
    private Duration roundTimeout;

    @Option(names = "--certs", defaultValue = "certs", paramLabel = "DIR",
            description = "Directory with ca.crt, server.crt and server.key (splitfed certs makes them). Example: --certs /etc/splitfed")
    private Path certs;

    @Option(names = "--insecure",
            description = "Plaintext, without authentication: anyone can join as any client. Example: --insecure")
    private boolean insecure;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Out directory (default: runs/<time>-server-<scheme>). Example: --out runs/hospitals")
    private Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run in DIR after its last completed round, with its config.yaml. Example: --resume runs/hospitals")
    private Path resume;

    @Mixin
    private RunOptions run;

    @Override
    public Integer call() {
        if (!role.equals("all") && !role.equals("fed") && !role.equals("main")) {
            throw new InvalidInputException("unknown role '" + role + "'; expected all, fed or main");
        }
        if (role.equals("fed") != (mainServer != null)) {
            throw new InvalidInputException("--main-server goes with --role fed, and --role fed needs it");
        }
        if (mainServer != null) {
            HostPort.parse(mainServer, "{main-server}");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        String threads = SettingsOptions.given(spec, Settings.THREADS);
        SimulationConfig cfg = resume != null
                ? RunSettings.fromRun(resume, threads == null ? new String[0] : new String[] {"--threads", threads})
                : SettingsOptions.config(spec, null);
        ServerRunner.Builder builder = ServerRunner.builder().setConfig(cfg).setPort(port).optMinClients(minClients)
                .optRoundTimeout(roundTimeout).optMaxClientSamples(maxClientSamples);
        if (insecure) {
            stderr.println("Warning: --insecure: plaintext, and any client may act for any client id.");
            builder.setInsecure();
        } else {
            builder.setTls(TlsMaterial.read(certs, "server"));
        }
        if (mainServer != null) {
            builder.optMainServer(mainServer, insecure ? null : TlsMaterial.read(certs, "fed-server"));
        }
        // Printed once the port accepts connections, so a script that waits for it can start clients.
        builder.optOnListening(bound -> {
            stdout.printf("serving %s on port %d (%s); waiting for %d of %d clients%n", cfg.scheme().id(), bound,
                    insecure ? "plaintext" : "mutual TLS", minClients != null ? minClients : cfg.clients(), cfg.clients());
            stdout.flush();
        });
        ServerRunner runner = builder.setData(SimulateCommand.load(cfg, stderr)).build();
        if (role.equals("main")) {
            return serveMain(runner, cfg, stdout);
        }
        Map<String, Object> provenance = Provenance.current();
        provenance.put("transport", insecure ? "grpc, plaintext" : "grpc, mutual TLS");
        Checkpoint from = resume != null ? Checkpoint.read(resume) : null;
        Path dir = resume != null ? resume : out != null ? out : SimulateCommand.defaultOut("server-" + cfg.scheme().id());
        RunRecorder recorder = from != null ? RunRecorder.resume(dir, provenance, from) : RunRecorder.create(dir, provenance);
        String schema = runner.clientSettings().get("data-schema-sha256");
        if (schema != null) {
            stdout.printf("clients read their own files with the data schema of SHA-256 %s (client --schema-sha256)%n",
                    schema);
        }
        stdout.flush();
        RunExecution.run(runner::run, recorder, dir, new TerminalProgress(stdout, stderr, run.quiet), from);
        return 0;
    }

    /** Runs only the main server, controlled by a fed server elsewhere, until the process is stopped. */
    private int serveMain(ServerRunner runner, SimulationConfig cfg, PrintWriter stdout) {
        try (RunningServer server = runner.startMainServer()) {
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            stdout.printf("main server for %s listening on port %d (%s); the fed server controls its rounds%n",
                    cfg.scheme().id(), server.port(), insecure ? "plaintext" : "mutual TLS");
            stdout.flush();
            server.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
