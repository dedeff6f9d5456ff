package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EarlySendsTest {
    private static List<String> kept(EarlySends sends) {
        List<String> kept = new ArrayList<>();
        sends.forEach(data -> kept.add(data instanceof byte[] bytes ? "bytes " + new String(bytes, StandardCharsets.US_ASCII)
                : data instanceof EarlySends.Raw raw ? "raw " + new String(raw.bytes(), StandardCharsets.US_ASCII) : String.valueOf(data)));
        return kept;
    }

    /** Bytes are kept as they were sent: the application may reuse its array at once, as it may after the 101. */
    @Test
    void keepsWhatWasSentAsItWasSent() {
        EarlySends sends = new EarlySends();
        byte[] reused = "AAAA".getBytes(StandardCharsets.US_ASCII);
        assertTrue(sends.add("text", 1024));
        assertTrue(sends.add(reused, 1024));
        assertTrue(sends.add(new EarlySends.Raw(reused), 1024));
        reused[0] = 'Z';
        assertEquals(List.of("text", "bytes AAAA", "raw AAAA"), kept(sends));
        assertEquals(12, sends.bytes());
    }

    /** As Workerman's tmpWebsocketData: a send is dropped only once more than the bound already waits. */
    @Test
    void dropsOnlyOnceMoreThanTheBoundWaits() {
        EarlySends sends = new EarlySends();
        assertTrue(sends.add("x".repeat(2000), 1024), "one send over the bound is kept");
        assertFalse(sends.add("y", 1024), "the next is dropped");
        assertEquals(2000, sends.bytes());
    }

    @Test
    void knowsWhenAClosingFrameIsAmongThem() {
        EarlySends sends = new EarlySends();
        sends.add("a", 1024);
        assertFalse(sends.closes());
        sends.add(new dev.drover.WebSocketClose(4000, "done"), 1024);
        assertTrue(sends.closes(), "a send after it fails, as after a close frame once open");
    }

    /** Pings and pongs are kept as they are: they copied their payload when made. */
    @Test
    void keepsControlFrames() {
        EarlySends sends = new EarlySends();
        dev.drover.WebSocketPing ping = new dev.drover.WebSocketPing();
        dev.drover.WebSocketPong pong = new dev.drover.WebSocketPong(new byte[] {1});
        assertTrue(sends.add(ping, 1024));
        assertTrue(sends.add(pong, 1024));
        List<Object> kept = new ArrayList<>();
        sends.forEach(kept::add);
        assertEquals(List.of(ping, pong), kept);
        assertFalse(sends.closes());
    }

    /** What no send takes is refused in the caller, as a send after the 101 refuses it, not when the 101 went out. */
    @Test
    void refusesWhatNoSendTakesNow() {
        assertEquals("cannot send a java.lang.Integer; send a String or byte[]",
                assertThrows(IllegalArgumentException.class, () -> new EarlySends().add(42, 1024)).getMessage());
        assertEquals("cannot send a null; send a String or byte[]",
                assertThrows(IllegalArgumentException.class, () -> new EarlySends().add(null, 1024)).getMessage());
    }
}
