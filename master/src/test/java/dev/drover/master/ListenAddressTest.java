package dev.drover.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ListenAddressTest {

    @Test
    void parsesWorkermanAddresses() {
        assertEquals(new ListenAddress("http", "0.0.0.0", 8080), ListenAddress.parse("http://0.0.0.0:8080"));
        assertEquals(new ListenAddress("text", "::1", 5678), ListenAddress.parse("text://[::1]:5678"));
        assertEquals("text://[::1]:5678", ListenAddress.parse("text://[::1]:5678").toString());
        assertEquals("http://127.0.0.1:0", ListenAddress.parse("http://127.0.0.1:0").toString());
    }

    @Test
    void namesTheAddressWhenMalformed() {
        for (String bad : new String[] {"0.0.0.0:80", "http://0.0.0.0", "http://:80", "http://0.0.0.0:99999", "http://0.0.0.0:x",
            "http://[::1:80", "http://::1]:80", "http://[[::1]]:80"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(bad));
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void aSocketKeyNamesTheSocketWhateverProtocolSpeaksOverIt() {
        assertEquals("tcp 0.0.0.0:5678", ListenAddress.parse("text://0.0.0.0:5678").socketKey());
        assertEquals("tcp 0.0.0.0:5678", ListenAddress.parse("frame://0.0.0.0:5678").socketKey());
        assertEquals("tcp [::1]:8080", ListenAddress.parse("websocket://[::1]:8080").socketKey());
        assertEquals("udp 127.0.0.1:9292", ListenAddress.parse("udp://127.0.0.1:9292").socketKey());
        assertEquals("unix /run/app.sock", ListenAddress.parse("unix:///run/app.sock").socketKey());
    }

    /** Workerman's transport udp for a protocol: the socket is a UDP one, and keeps being one with the kernel's port. */
    @Test
    void aProtocolOverUdpBindsAUdpSocket() {
        ListenAddress text = ListenAddress.parse("text://127.0.0.1:0").overUdp(true);
        assertTrue(text.isUdp());
        assertEquals("udp 127.0.0.1:0", text.socketKey());
        assertEquals("udp 127.0.0.1:4000", text.withPort(4000).socketKey());
        assertEquals("text://127.0.0.1:0", text.toString());
        assertEquals("tcp 127.0.0.1:0", text.overUdp(false).socketKey());
        for (String stream : new String[] {"http://127.0.0.1:80", "websocket://127.0.0.1:80", "unix:///run/app.sock"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(stream).overUdp(true));
            assertTrue(refused.getMessage().startsWith("listen address '" + stream + "': ") && refused.getMessage().contains("needs a stream"),
                    refused.getMessage());
        }
        IllegalArgumentException udp = assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse("udp://127.0.0.1:9").overUdp(false));
        assertEquals("listen address 'udp://127.0.0.1:9' is udp: its transport is udp; for a stream, listen on tcp://, text://, frame:// or"
                + " your protocol's scheme", udp.getMessage());
    }
}
