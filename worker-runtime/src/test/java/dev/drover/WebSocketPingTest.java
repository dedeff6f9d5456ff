package dev.drover;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Control frames carry at most 125 bytes (RFC 6455 5.5): refused when made, not when written. */
class WebSocketPingTest {
    @Test
    void aPayloadOfUpTo125BytesIsKeptAsACopy() {
        byte[] payload = new byte[125];
        WebSocketPing ping = new WebSocketPing(payload);
        payload[0] = 1;
        assertEquals(0, ping.payload()[0], "a reused array does not change what goes out");
        assertEquals(0, new WebSocketPing().payload().length);
        assertArrayEquals(new byte[] {7}, new WebSocketPong(new byte[] {7}).payload());
    }

    @Test
    void moreThan125BytesOrNoneAreRefusedNamingTheFrame() {
        IllegalArgumentException ping = assertThrows(IllegalArgumentException.class, () -> new WebSocketPing(new byte[126]));
        assertTrue(ping.getMessage().contains("ping carries 0 to 125 bytes") && ping.getMessage().contains("not 126"), ping.getMessage());
        IllegalArgumentException pong = assertThrows(IllegalArgumentException.class, () -> new WebSocketPong(null));
        assertTrue(pong.getMessage().contains("pong carries 0 to 125 bytes") && pong.getMessage().contains("not null"), pong.getMessage());
    }
}
