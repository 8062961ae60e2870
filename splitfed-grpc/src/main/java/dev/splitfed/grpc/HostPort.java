package dev.splitfed.grpc;

import dev.splitfed.InvalidInputException;

/**
 * Where a server listens: a host and a port, read from {@code HOST:PORT} text (a flag, a runner's
 * argument, or the address a server sends its clients) with one check for all of them.
 *
 * @param host the host name or address
 * @param port the port, 0 to 65535
 */
public record HostPort(String host, int port) {

    /** The largest port. */
    public static final int MAX_PORT = 65535;

    /**
     * Checks the address.
     *
     * @throws InvalidInputException if the port is outside 0 to 65535
     * @throws NullPointerException if the host is null
     */
    public HostPort {
        java.util.Objects.requireNonNull(host, "host");
        checkPort(port, "the port of " + host);
    }

    /**
     * Checks a port to listen on or to reach.
     *
     * @param port the port
     * @param what what the port is, as the message names it, e.g. {@code {port}}
     * @return the port
     * @throws InvalidInputException if it is outside 0 to 65535
     */
    public static int checkPort(int port, String what) {
        if (port < 0 || port > MAX_PORT) {
            throw new InvalidInputException(what + " must be in 0 to " + MAX_PORT + ", got " + port);
        }
        return port;
    }

    /**
     * Reads {@code HOST:PORT}.
     *
     * @param text e.g. {@code localhost:7443} or {@code [::1]:7443}
     * @param what what the address is, as the message names it, e.g. {@code {server}}
     * @return the address
     * @throws InvalidInputException if the text is not HOST:PORT with a port in 0 to 65535
     */
    public static HostPort parse(String text, String what) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        String digits = colon < 0 ? "" : text.substring(colon + 1);
        if (colon <= 0 || !digits.matches("[0-9]{1,5}") || Integer.parseInt(digits) > MAX_PORT) {
            throw new InvalidInputException(what + " must be HOST:PORT, e.g. localhost:7443, not '" + text + "'");
        }
        return new HostPort(text.substring(0, colon), Integer.parseInt(digits));
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
