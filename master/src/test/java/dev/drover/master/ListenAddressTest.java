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
}
