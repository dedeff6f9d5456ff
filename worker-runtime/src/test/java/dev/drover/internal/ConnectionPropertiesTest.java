package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ConnectionPropertiesTest {
    @Test
    void keepsWhatWasPutUntilANullRemovesIt() {
        ConnectionProperties properties = new ConnectionProperties();
        assertNull(properties.get("uid"), "nothing before the first put");
        properties.put("uid", "7");
        properties.put("room", 3);
        String uid = properties.get("uid");
        int room = properties.get("room");
        assertEquals("7", uid);
        assertEquals(3, room);
        properties.put("uid", null);
        assertNull(properties.get("uid"));
        assertEquals(3, (int) properties.get("room"));
    }

    @Test
    void aNameIsNeeded() {
        assertEquals("a connection property needs a name",
                assertThrows(IllegalArgumentException.class, () -> new ConnectionProperties().put(null, "x")).getMessage());
    }
}
