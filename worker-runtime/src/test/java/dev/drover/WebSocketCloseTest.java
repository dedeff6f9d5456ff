package dev.drover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The close codes an application may send are RFC 6455's, refused when made rather than when written. */
class WebSocketCloseTest {
    @Test
    void onlyCodesAnEndpointMaySendAreAccepted() {
        for (int code : new int[] {1000, 1001, 1003, 1007, 1011, 1014, 3000, 4000, 4999}) {
            assertEquals(code, new WebSocketClose(code, "").code());
        }
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new WebSocketClose(code, ""));
            assertTrue(refused.getMessage().contains(Integer.toString(code)), refused.getMessage());
        }
    }
}
