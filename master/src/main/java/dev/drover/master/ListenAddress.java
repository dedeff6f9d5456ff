package dev.drover.master;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A listen address in Workerman's form {@code <protocol>://<host>:<port>}, e.g.
 * {@code http://0.0.0.0:8080}, {@code text://[::1]:5678}, {@code udp://0.0.0.0:9292}, or a Unix
 * socket {@code unix:///run/app.sock} (then {@code host} is the path and {@code port} is 0).
 */
public record ListenAddress(String protocol, String host, int port, boolean datagrams) {

    /** An address whose protocol says its transport: datagrams for udp://, a stream for the rest. */
    public ListenAddress(String protocol, String host, int port) {
        this(protocol, host, port, protocol.equals("udp"));
    }

    /** Parses an address, with a message naming it when it is malformed. */
    public static ListenAddress parse(String text) {
        int scheme = text.indexOf("://");
        if (scheme <= 0) {
            throw new IllegalArgumentException("listen address '" + text + "' has no protocol; write e.g. http://0.0.0.0:8080");
        }
        String protocol = text.substring(0, scheme);
        String rest = text.substring(scheme + 3);
        if (protocol.equals("unix")) {
            if (!rest.startsWith("/") || rest.length() < 2) {
                throw new IllegalArgumentException("listen address '" + text + "' needs an absolute path, e.g. unix:///run/app.sock");
            }
            return new ListenAddress(protocol, rest, 0);
        }
        int colon = rest.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("listen address '" + text + "' has no port; write e.g. " + protocol + "://0.0.0.0:8080");
        }
        String host = IpText.unbracketed(rest.substring(0, colon));
        if (host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
            throw new IllegalArgumentException("listen address '" + text + "': an IPv6 host goes in one pair of brackets before the port, e.g. "
                    + protocol + "://[::1]:8080");
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("listen address '" + text + "' has no host; use 0.0.0.0 for every IPv4 address");
        }
        int port;
        try {
            port = Integer.parseInt(rest.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen address '" + text + "': port must be a number from 0 to 65535");
        }
        return new ListenAddress(protocol, host, port);
    }

    /** A Unix stream socket at the path in {@link #host}. */
    public boolean isUnix() {
        return protocol.equals("unix");
    }

    /** A UDP socket: datagrams rather than connections (udp://, or a protocol over transport udp). */
    public boolean isUdp() {
        return datagrams;
    }

    /**
     * The same address over UDP, its protocol cutting each datagram into packages (Workerman's
     * {@code transport = 'udp'}), or back over a stream.
     *
     * @throws IllegalArgumentException for a protocol that needs a stream (http, websocket, unix), or udp:// over a stream
     */
    public ListenAddress overUdp(boolean udp) {
        if (udp && (isUnix() || protocol.equals("http") || protocol.equals("websocket"))) {
            throw new IllegalArgumentException("listen address '" + this + "': " + protocol + ":// needs a stream, not transport udp;"
                    + " udp carries udp://, text://, frame:// and protocols of your own");
        }
        if (!udp && protocol.equals("udp")) {
            throw new IllegalArgumentException("listen address '" + this + "' is udp: its transport is udp; for a stream, listen on"
                    + " tcp://, text://, frame:// or your protocol's scheme");
        }
        return new ListenAddress(protocol, host, port, udp);
    }

    /** The socket address, resolving the host; an unknown host is an error naming it. */
    public InetSocketAddress socketAddress() {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("listen address '" + this + "': unknown host " + host, e);
        }
    }

    /** The same address with another port (the one the kernel chose for port 0). */
    public ListenAddress withPort(int newPort) {
        return new ListenAddress(protocol, host, newPort, datagrams);
    }

    /**
     * The socket bound to this address, whatever protocol speaks over it: {@code tcp 0.0.0.0:5678},
     * {@code udp [::1]:9292}, {@code unix /run/app.sock}. A reload lends a worker's own listeners to
     * its replacement by this key.
     */
    public String socketKey() {
        String kind = isUnix() ? "unix" : isUdp() ? "udp" : "tcp";
        return kind + " " + toString().substring(protocol.length() + 3);
    }

    @Override
    public String toString() {
        if (isUnix()) {
            return protocol + "://" + host;
        }
        return protocol + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
