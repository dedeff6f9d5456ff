package dev.drover.internal.channel;

import dev.drover.master.IpText;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where Channel and GlobalData talk to, the one setting that picks the backend:
 * {@code redis://[:password@]host[:port][/db]} (or {@code rediss://}) for Redis, and
 * {@code host:port} or {@code frame://host:port} for the embedded {@code ChannelServer}.
 */
public record ServerAddress(String text, boolean redis, String host, int port) {
    // text is the address as given, password included: connect with it, print toString().

    public static ServerAddress parse(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("a channel address is host:port (a ChannelServer) or redis://host:port, not '" + address + "'");
        }
        if (address.startsWith("redis://") || address.startsWith("rediss://")) {
            URI uri;
            try {
                uri = new URI(address);
            } catch (URISyntaxException e) { // its message would quote the password
                throw new IllegalArgumentException("redis address '" + masked(address) + "' is not a URI (" + e.getReason()
                        + "); percent-encode a password's reserved characters, e.g. / as %2F");
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("redis address '" + masked(address) + "' has no host, e.g. redis://127.0.0.1:6379"
                        + " (percent-encode a password's reserved characters, e.g. / as %2F)");
            }
            return new ServerAddress(address, true, uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
        }
        String rest = address.startsWith("frame://") ? address.substring("frame://".length()) : address;
        if (rest.contains("://")) {
            throw new IllegalArgumentException("channel address '" + address + "': use host:port for a ChannelServer or redis://host:port");
        }
        URI uri = URI.create("frame://" + rest);
        if (uri.getHost() == null || uri.getPort() < 1) {
            throw new IllegalArgumentException("channel address '" + address + "' needs a host and a port, e.g. 127.0.0.1:2206");
        }
        return new ServerAddress("frame://" + rest, false, IpText.unbracketed(uri.getHost()), uri.getPort());
    }

    /**
     * For a {@code redis://} address, fails, naming it and the dependency to add, unless Lettuce (the
     * Redis backend's client) is on the class path; called where Channel, GlobalData and sessions are
     * given an address, before anything touches the Redis classes, which would fail to link (a
     * NoClassDefFoundError that ended the worker).
     */
    public void requireLettuce() {
        if (!redis) {
            return;
        }
        try {
            Class.forName("io.lettuce.core.RedisClient", false, ServerAddress.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(this + ": the Redis backend needs io.lettuce:lettuce-core (7.x) on the class path;"
                    + " add it to the application's dependencies");
        }
    }

    /** The address for messages and logs: a password in it is left out. */
    @Override
    public String toString() {
        return masked(text);
    }

    /**
     * {@code address} with what may be a password left out: everything before the last {@code @}
     * of a {@code scheme://} address (a password's own {@code @}, {@code /} or {@code #} may be
     * unencoded in one that is malformed).
     */
    public static String masked(String address) {
        if (address == null) {
            return null;
        }
        int scheme = address.indexOf("://");
        int at = address.lastIndexOf('@');
        return scheme >= 0 && at > scheme ? address.substring(0, scheme + 3) + "***" + address.substring(at) : address;
    }
}
