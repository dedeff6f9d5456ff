package dev.drover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** What GlobalData refuses before it sends anything, and how it says that its server is not there. */
class GlobalDataTest {

    @Test
    void aValueOverWhatTheEmbeddedServerTakesIsRefusedBeforeItIsSent() {
        GlobalData data = new GlobalData("127.0.0.1:1"); // nothing listens: the value is refused before any connect
        GlobalDataException refused = assertThrows(GlobalDataException.class, () -> data.set("k", "x".repeat(64 << 20)));
        assertEquals("GlobalData frame://127.0.0.1:1: set 'k' failed: it carries more than the 63 MiB a command to the embedded"
                + " server may carry", refused.getMessage());
    }

    /** Redis not there: the message says why (Lettuce's own, "Unable to connect to ...", did not). */
    @Test
    void aRedisThatIsNotThereIsReportedWithWhy() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        GlobalData data = new GlobalData("redis://127.0.0.1:" + closed);
        GlobalDataException refused = assertThrows(GlobalDataException.class, () -> data.get("k"));
        assertTrue(refused.getMessage().startsWith("GlobalData redis://127.0.0.1:" + closed + ": get 'k' failed: ")
                && refused.getMessage().contains("Connection refused"), refused.getMessage());
    }
}
