package dev.drover.internal.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ServerAddressTest {

    @Test
    void theAddressPicksTheBackend() {
        assertEquals(new ServerAddress("frame://127.0.0.1:2206", false, "127.0.0.1", 2206), ServerAddress.parse("127.0.0.1:2206"));
        assertEquals(new ServerAddress("frame://[::1]:2206", false, "::1", 2206), ServerAddress.parse("frame://[::1]:2206"));
        assertEquals(new ServerAddress("redis://10.0.0.5/2", true, "10.0.0.5", 6379), ServerAddress.parse("redis://10.0.0.5/2"));
        assertEquals(6380, ServerAddress.parse("redis://:secret@redis.internal:6380").port());
        assertEquals("redis://***@redis.internal:6380", ServerAddress.parse("redis://:secret@redis.internal:6380").toString(),
                "a password never reaches a log line");
    }

    @Test
    void aWrongAddressSaysWhatIsExpected() {
        assertEquals("channel address '127.0.0.1' needs a host and a port, e.g. 127.0.0.1:2206",
                assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("127.0.0.1")).getMessage());
        assertEquals("channel address 'http://x:1': use host:port for a ChannelServer or redis://host:port",
                assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("http://x:1")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse(""));
    }
}
