package dev.drover.internal.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelWireTest {

    @Test
    void aPublishIsItsTypeThenLengthPrefixedUtf8Fields() {
        byte[] body = ChannelWire.encode(ChannelWire.PUBLISH, "ev", "é");
        assertArrayEquals(new byte[] {'p', 0, 0, 0, 2, 'e', 'v', 0, 0, 0, 2, (byte) 0xC3, (byte) 0xA9}, body);
        assertEquals(List.of("ev", "é"), ChannelWire.fields(body));
    }

    @Test
    void aNullFieldIsLengthMinusOne() {
        byte[] body = ChannelWire.encode((byte) 'c', "k", null, "v");
        assertArrayEquals(new byte[] {'c', 0, 0, 0, 1, 'k', -1, -1, -1, -1, 0, 0, 0, 1, 'v'}, body);
        assertEquals(Arrays.asList("k", null, "v"), ChannelWire.fields(body));
    }

    @Test
    void aTruncatedFieldIsRefusedWithItsSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChannelWire.fields(new byte[] {'p', 0, 0, 0, 9, 'a'}));
        assertEquals("channel message 'p' has a field of 9 bytes with 1 left", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChannelWire.fields(new byte[] {'p', 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> ChannelWire.type(new byte[0]));
    }
}
