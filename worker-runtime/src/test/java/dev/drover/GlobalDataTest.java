package dev.drover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** What GlobalData refuses before it sends anything. */
class GlobalDataTest {

    @Test
    void aValueOverWhatTheEmbeddedServerTakesIsRefusedBeforeItIsSent() {
        GlobalData data = new GlobalData("127.0.0.1:1"); // nothing listens: the value is refused before any connect
        GlobalDataException refused = assertThrows(GlobalDataException.class, () -> data.set("k", "x".repeat(64 << 20)));
        assertEquals("GlobalData frame://127.0.0.1:1: set 'k' failed: it carries more than the 63 MiB a command to the embedded"
                + " server may carry", refused.getMessage());
    }
}
