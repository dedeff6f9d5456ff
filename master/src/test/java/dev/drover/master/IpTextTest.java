package dev.drover.master;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class IpTextTest {
    private static String text(String ip) throws Exception {
        return IpText.of(InetAddress.getByName(ip));
    }

    /** RFC 5952's examples and edges: the longest run of zeros goes, the first of two equal runs, never a single zero group. */
    @Test
    void ipv6IsWrittenInItsCanonicalForm() throws Exception {
        assertEquals("::1", text("0:0:0:0:0:0:0:1"));
        assertEquals("::", text("0:0:0:0:0:0:0:0"));
        assertEquals("2001:db8::1", text("2001:0DB8:0:0:0:0:0:1"));
        assertEquals("2001:db8:0:1:1:1:1:1", text("2001:db8:0:1:1:1:1:1"));
        assertEquals("2001:db8::1:0:0:1", text("2001:db8:0:0:1:0:0:1"));
        assertEquals("2001:0:0:1::1", text("2001:0:0:1:0:0:0:1"));
        assertEquals("fe80::", text("fe80:0:0:0:0:0:0:0"));
        assertEquals("1::", text("1:0:0:0:0:0:0:0"));
        assertEquals("0:2:3:4:5:6:7:8", text("0:2:3:4:5:6:7:8"));
        assertEquals("127.0.0.1", text("127.0.0.1"));
        assertEquals("127.0.0.1", text("::ffff:127.0.0.1"), "Java makes a mapped address IPv4");
    }

    /** Scope 0 is no scope (Netty's datagram senders carry it): {@code ::1}, as a TCP peer's; a real scope stays. */
    @Test
    void scopeZeroIsNoScope() throws Exception {
        byte[] loopback = InetAddress.getByName("::1").getAddress();
        assertEquals("::1", IpText.of(Inet6Address.getByAddress(null, loopback, 0)));
        assertEquals("fe80::1%3", IpText.of(Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 3)));
    }

    @Test
    void withAPortIPv6IsBracketed() throws Exception {
        assertEquals("[::1]:80", IpText.withPort(new InetSocketAddress(InetAddress.getByName("::1"), 80)));
        assertEquals("10.0.0.5:6379", IpText.withPort("10.0.0.5", 6379));
        assertEquals("", IpText.withPort("", 0), "a Unix socket's peer has none");
    }
}
