package dev.splitfed.cli;

import dev.splitfed.InvalidInputException;
import dev.splitfed.compress.Codec;
import dev.splitfed.grpc.internal.GrpcTransport;
import dev.splitfed.internal.transport.InProcessTransport;
import dev.splitfed.internal.transport.Transport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/** How a simulation's clients reach its servers: direct calls, or gRPC on loopback. */
final class TransportOptions {

    @Option(names = "--transport", defaultValue = "inprocess", paramLabel = "NAME",
            description = "inprocess (direct calls) or grpc (every role behind its own gRPC server on loopback, "
                    + "mutual TLS); the results are the same. Example: --transport grpc")
    String transport;

    @Option(names = "--insecure",
            description = "With --transport grpc: plaintext instead of mutual TLS. Example: --insecure")
    boolean insecure;

    /**
     * Opens the transport these options name, warning on stderr when it is plaintext.
     *
     * @param stderr where the warning goes
     * @param codec how the transport encodes smashed data, cut-layer gradients and updates
     * @return the transport; the caller closes it
     */
    Transport open(PrintWriter stderr, Codec codec) {
        switch (transport) {
            case "inprocess":
                if (insecure) {
                    throw new InvalidInputException("--insecure applies only to --transport grpc");
                }
                return new InProcessTransport(codec);
            case "grpc":
                if (insecure) {
                    stderr.println("Warning: --insecure: the roles talk in plaintext, without authentication.");
                }
                return GrpcTransport.loopback(!insecure, Duration.ofMinutes(10), codec);
            default:
                throw new InvalidInputException("unknown transport '" + transport + "'; expected inprocess or grpc");
        }
    }

    /** Records the transport beside a run's versions. */
    void describe(Map<String, Object> provenance) {
        provenance.put("transport", transport.equals("grpc") ? (insecure ? "grpc, plaintext" : "grpc, mutual TLS") : transport);
    }
}
