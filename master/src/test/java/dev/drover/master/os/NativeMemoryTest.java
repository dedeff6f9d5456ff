package dev.drover.master.os;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {

    @Test
    void holdsWhatIsPutAndRefusesAccessOutsideItself() {
        try (NativeMemory memory = NativeMemory.allocate(16)) {
            assertEquals(0L, memory.getLong(8), "zeroed");
            memory.putInt(0, -2);
            memory.putShort(4, (short) 7);
            memory.putLong(8, Long.MIN_VALUE);
            assertEquals(-2, memory.getInt(0));
            assertEquals(7, memory.getShort(4));
            assertEquals(Long.MIN_VALUE, memory.getLong(8));
            assertThrows(IndexOutOfBoundsException.class, () -> memory.getLong(9));
            assertThrows(IndexOutOfBoundsException.class, () -> memory.put(10, new byte[8], 0, 8));
            assertThrows(IndexOutOfBoundsException.class, () -> memory.getInt(-1));
        }
        NativeMemory closed = NativeMemory.allocate(4);
        closed.close();
        closed.close();
        assertThrows(IndexOutOfBoundsException.class, () -> closed.getInt(0), "used after close");
    }

    @Test
    void makesCStrings() {
        try (NativeMemory text = NativeMemory.string("drover ü")) {
            assertEquals("drover ü".getBytes(StandardCharsets.UTF_8).length + 1, text.size());
            assertEquals("drover ü", NativeMemory.stringAt(text.address()));
        }
        try (NativeMemory bytes = NativeMemory.bytes(new byte[] {1, 2, 3}, 0)) {
            byte[] back = new byte[3];
            bytes.get(0, back, 0, 3);
            assertArrayEquals(new byte[] {1, 2, 3}, back);
        }
    }
}
