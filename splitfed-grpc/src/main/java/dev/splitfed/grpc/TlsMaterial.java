package dev.splitfed.grpc;

import dev.splitfed.InvalidInputException;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What one end of a mutual-TLS connection holds: the CA it trusts, its own certificate and key
 * (PEM). Null material means plaintext, which only an explicit {@code --insecure} asks for.
 *
 * @param caPem the certificate authority that signed the other end's certificate
 * @param identity this end's certificate and private key
 */
public record TlsMaterial(String caPem, Pki.Identity identity) {

    /**
     * Reads {@code ca.crt}, {@code <name>.crt} and {@code <name>.key} from a directory, as
     * {@code splitfed certs} writes them.
     *
     * @param dir the directory
     * @param name the file name stem, e.g. {@code server} or {@code client-3}
     * @return the material
     * @throws InvalidInputException if a file is missing
     */
    public static TlsMaterial read(Path dir, String name) {
        try {
            return new TlsMaterial(Files.readString(dir.resolve("ca.crt")), new Pki.Identity(
                    Files.readString(dir.resolve(name + ".crt")), Files.readString(dir.resolve(name + ".key"))));
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(
                    "the certificate directory " + dir + " lacks " + e.getFile() + "; make one with: splitfed certs --out " + dir);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read the certificates in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Returns server credentials that require a client certificate signed by the CA. */
    public static ServerCredentials server(TlsMaterial tls) {
        if (tls == null) {
            return InsecureServerCredentials.create();
        }
        try {
            return TlsServerCredentials.newBuilder()
                    .keyManager(stream(tls.identity().certificatePem()), stream(tls.identity().privateKeyPem()))
                    .trustManager(stream(tls.caPem()))
                    .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                    .build();
        } catch (IOException e) {
            throw new InvalidInputException("the server certificate or key is not valid PEM: " + e.getMessage(), e);
        }
    }

    /** Returns channel credentials that present the client certificate and trust only the CA. */
    public static ChannelCredentials client(TlsMaterial tls) {
        if (tls == null) {
            return InsecureChannelCredentials.create();
        }
        try {
            return TlsChannelCredentials.newBuilder()
                    .keyManager(stream(tls.identity().certificatePem()), stream(tls.identity().privateKeyPem()))
                    .trustManager(stream(tls.caPem()))
                    .build();
        } catch (IOException e) {
            throw new InvalidInputException("the client certificate or key is not valid PEM: " + e.getMessage(), e);
        }
    }

    private static InputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
