package dev.splitfed.grpc;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small certificate authority for trying splitfed out: a CA, a server certificate for the given
 * host names, and one client certificate per client whose common name is its identity
 * ({@code client-<id>}). Keys are ECDSA P-256; everything is written as PEM.
 *
 * <p>For production, bring certificates from your own PKI: the servers and clients only read PEM
 * files.
 */
public final class Pki {

    /** The common name prefix of client certificates; the number after it is the client id. */
    public static final String CLIENT_PREFIX = "client-";

    /** The common name of the certificate the in-process simulator uses for every client. */
    public static final String SIMULATOR = "splitfed-simulator";

    /** The common name of the fed server's certificate when it controls a main server elsewhere. */
    public static final String FED_SERVER = "splitfed-fed-server";

    private static final Duration VALIDITY = Duration.ofDays(365);

    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final SecureRandom random = new SecureRandom();

    private Pki() {
        this.caKeys = newKeys();
        X500Name name = new X500Name("CN=splitfed test CA");
        this.ca = sign(name, caKeys, name, caKeys, true, List.of(), false);
    }

    /** Returns a new certificate authority. */
    public static Pki create() {
        return new Pki();
    }

    /** Returns the CA certificate as PEM. */
    public String caPem() {
        return pem(ca);
    }

    /**
     * Issues a server certificate.
     *
     * @param hosts DNS names and IP addresses clients will dial, e.g. {@code localhost}, {@code 127.0.0.1}
     * @return the certificate and its key
     */
    public Identity server(List<String> hosts) {
        List<GeneralName> names = new ArrayList<>();
        for (String h : hosts) {
            boolean ip = h.matches("[0-9.]+") || h.contains(":");
            names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, h));
        }
        return issue("splitfed server", names, false);
    }

    /**
     * Issues a client certificate whose common name is {@code client-<id>}.
     *
     * @param id the client id
     * @return the certificate and its key
     */
    public Identity client(int id) {
        return issue(CLIENT_PREFIX + id, List.of(), true);
    }

    /** Issues the certificate a fed server presents to the main server it controls. */
    public Identity fedServer() {
        return issue(FED_SERVER, List.of(), true);
    }

    /** Issues the certificate the in-process simulator presents for all of its clients. */
    public Identity simulator() {
        return issue(SIMULATOR, List.of(), true);
    }

    private Identity issue(String commonName, List<GeneralName> altNames, boolean client) {
        KeyPair keys = newKeys();
        X509Certificate cert = sign(new X500Name("CN=" + commonName), keys,
                new X500Name("CN=splitfed test CA"), caKeys, false, altNames, client);
        return new Identity(pem(cert), pem(keys));
    }

    private X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
            boolean isCa, List<GeneralName> altNames, boolean client) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    issuer, new BigInteger(64, random).abs().add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)),
                    subject, subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (isCa) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(client ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_serverAuth));
            }
            if (!altNames.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(altNames.toArray(GeneralName[]::new)));
            }
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
            X509CertificateHolder holder = builder.build(signer);
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException | GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + subject, e);
        }
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks ECDSA P-256", e);
        }
    }

    private static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (object instanceof KeyPair keys) {
                writer.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
            } else {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * A certificate and its private key, both PEM.
     *
     * @param certificatePem the certificate
     * @param privateKeyPem the PKCS#8 private key
     */
    public record Identity(String certificatePem, String privateKeyPem) {

        /**
         * Writes {@code <name>.crt} and {@code <name>.key} into {@code dir}.
         *
         * @param dir the directory
         * @param name the file name stem
         */
        public void write(Path dir, String name) {
            try {
                Files.writeString(dir.resolve(name + ".crt"), certificatePem, StandardCharsets.US_ASCII);
                // The key is readable by its owner alone from the moment it exists.
                try (var out = Files.newByteChannel(dir.resolve(name + ".key"),
                        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                    out.write(ByteBuffer.wrap(privateKeyPem.getBytes(StandardCharsets.US_ASCII)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + name + " into " + dir, e);
            }
        }
    }
}
