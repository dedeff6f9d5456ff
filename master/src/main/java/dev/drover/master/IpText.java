package dev.drover.master;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * IP addresses as people and other servers write them: IPv6 in RFC 5952's form ({@code ::1},
 * {@code 2001:db8::7}; Java writes {@code 0:0:0:0:0:0:0:1}), as Workerman, nginx and {@code ss}
 * show them, so an application's {@code "::1".equals(connection.getRemoteIp())} holds.
 */
public final class IpText {
    private IpText() {}

    /** {@code 127.0.0.1}, {@code ::1}, {@code fe80::1%eth0}. */
    public static String of(InetAddress ip) {
        if (!(ip instanceof Inet6Address)) {
            return ip.getHostAddress();
        }
        String java = ip.getHostAddress();
        int scope = java.indexOf('%');
        boolean unscoped = scope < 0 || java.endsWith("%0") && ((Inet6Address) ip).getScopedInterface() == null; // scope 0 is none (a datagram's sender)
        return compressed(ip.getAddress()) + (unscoped ? "" : java.substring(scope));
    }

    /** A host as a URI or an address writes it, an IPv6 one without its brackets: {@code [::1]} gives {@code ::1}. */
    public static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** {@code 127.0.0.1:80}, {@code [::1]:80}; an empty host (a Unix socket's peer) gives an empty text. */
    public static String withPort(String host, int port) {
        if (host.isEmpty()) {
            return "";
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@link #withPort} of an address; an unresolved one by its name. */
    public static String withPort(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        return withPort(ip == null ? address.getHostString() : of(ip), address.getPort());
    }

    /** RFC 5952 4: hex groups without leading zeros, the longest run of two or more zero groups (the first of equals) as {@code ::}. */
    private static String compressed(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is written as 0
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
