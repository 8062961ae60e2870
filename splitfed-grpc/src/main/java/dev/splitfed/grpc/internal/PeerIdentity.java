package dev.splitfed.grpc.internal;

import dev.splitfed.grpc.Pki;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Who is calling: the common name of the client certificate that mutual TLS verified, made
 * available to the services, which let a caller act only for its own client id.
 */
public final class PeerIdentity implements ServerInterceptor {

    /** The caller's common name; null on a plaintext server (--insecure), where nobody is checked. */
    static final Context.Key<String> COMMON_NAME = Context.key("splitfed-peer");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        String name = null;
        if (session != null) {
            try {
                Certificate[] chain = session.getPeerCertificates();
                name = commonName((X509Certificate) chain[0]);
            } catch (SSLPeerUnverifiedException | InvalidNameException e) {
                call.close(Status.UNAUTHENTICATED.withDescription("the caller presented no valid client certificate"),
                        new Metadata());
                return new ServerCall.Listener<>() {};
            }
        }
        return Contexts.interceptCall(Context.current().withValue(COMMON_NAME, name), call, headers, next);
    }

    private static String commonName(X509Certificate cert) throws InvalidNameException {
        for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
            if (rdn.getType().equalsIgnoreCase("CN")) {
                return rdn.getValue().toString();
            }
        }
        throw new InvalidNameException("no CN in " + cert.getSubjectX500Principal());
    }

    /**
     * Refuses a call that acts for a client id other than the caller's own.
     *
     * @param clientId the id the call acts for
     */
    static void authorize(int clientId) {
        String name = COMMON_NAME.get();
        if (name == null || name.equals(Pki.SIMULATOR) || name.equals(Pki.CLIENT_PREFIX + clientId)) {
            return;
        }
        throw Status.PERMISSION_DENIED
                .withDescription("the certificate of " + name + " may not act for client " + clientId)
                .asRuntimeException();
    }

    /** Refuses a call that only the fed server may make (controlling a main server). */
    static void authorizeFedServer() {
        String name = COMMON_NAME.get();
        if (name != null && !name.equals(Pki.FED_SERVER)) {
            throw Status.PERMISSION_DENIED
                    .withDescription("only the fed server may control the main server, not " + name)
                    .asRuntimeException();
        }
    }
}
