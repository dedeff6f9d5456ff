package dev.drover.master.os;

import com.kenai.jffi.MemoryIO;
import java.nio.charset.StandardCharsets;

/**
 * A zeroed block of C memory ({@code malloc}) for one call or one structure, freed by
 * {@link #close}: callers hold it in try-with-resources, so nothing waits for the garbage collector.
 */
final class NativeMemory implements AutoCloseable {
    static final MemoryIO IO = MemoryIO.getInstance();

    private final long address;
    private final long size;
    private boolean freed;

    private NativeMemory(long size) {
        this.size = Math.max(1, size);
        this.address = IO.allocateMemory(this.size, true);
        if (address == 0) {
            throw new OutOfMemoryError("malloc(" + this.size + ") failed");
        }
    }

    /** {@code size} zeroed bytes. */
    static NativeMemory allocate(long size) {
        return new NativeMemory(size);
    }

    /** {@code value} in UTF-8 and a NUL: a C string. */
    static NativeMemory string(String value) {
        return bytes(value.getBytes(StandardCharsets.UTF_8), 1);
    }

    /** A copy of {@code bytes} followed by {@code zeros} zero bytes. */
    static NativeMemory bytes(byte[] bytes, int zeros) {
        NativeMemory memory = new NativeMemory(bytes.length + (long) zeros);
        IO.putByteArray(memory.address, bytes, 0, bytes.length);
        return memory;
    }

    /** The C string at {@code address}, decoded as UTF-8. */
    static String stringAt(long address) {
        return new String(IO.getZeroTerminatedByteArray(address), StandardCharsets.UTF_8);
    }

    long address() {
        return address;
    }

    long size() {
        return size;
    }

    int getInt(long offset) {
        return IO.getInt(at(offset, 4));
    }

    void putInt(long offset, int value) {
        IO.putInt(at(offset, 4), value);
    }

    long getLong(long offset) {
        return IO.getLong(at(offset, 8));
    }

    void putLong(long offset, long value) {
        IO.putLong(at(offset, 8), value);
    }

    short getShort(long offset) {
        return IO.getShort(at(offset, 2));
    }

    void putShort(long offset, short value) {
        IO.putShort(at(offset, 2), value);
    }

    void put(long offset, byte[] bytes, int from, int length) {
        IO.putByteArray(at(offset, length), bytes, from, length);
    }

    void get(long offset, byte[] bytes, int from, int length) {
        IO.getByteArray(at(offset, length), bytes, from, length);
    }

    /** The address of {@code length} bytes at {@code offset}, checked against the block: a C write past it corrupts the heap. */
    private long at(long offset, long length) {
        if (freed || offset < 0 || length < 0 || offset + length > size) {
            throw new IndexOutOfBoundsException(freed ? "native memory used after close"
                    : length + " bytes at " + offset + " outside a block of " + size);
        }
        return address + offset;
    }

    @Override
    public void close() {
        if (!freed) {
            freed = true;
            IO.freeMemory(address);
        }
    }
}
