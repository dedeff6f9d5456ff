package dev.drover.master.os;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A NULL-terminated {@code char *[]} (argv, envp) in C memory until {@link #close}. Two blocks
 * whatever the count: the pointer array and every string packed into one.
 */
final class NativeStrings implements AutoCloseable {
    private static final int SLOT = 8; // a pointer on LP64

    private final NativeMemory array;
    private final NativeMemory block;

    NativeStrings(List<String> values) {
        List<byte[]> encoded = new ArrayList<>(values.size());
        long total = 0;
        for (String value : values) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            encoded.add(bytes);
            total += bytes.length + 1;
        }
        block = NativeMemory.allocate(total);
        try {
            array = NativeMemory.allocate((long) SLOT * (values.size() + 1));
        } catch (OutOfMemoryError e) {
            block.close();
            throw e;
        }
        long at = 0;
        for (int i = 0; i < encoded.size(); i++) {
            byte[] bytes = encoded.get(i);
            block.put(at, bytes, 0, bytes.length); // the zeroed block ends each string with NUL
            array.putLong((long) SLOT * i, block.address() + at);
            at += bytes.length + 1;
        }
    }

    long address() {
        return array.address();
    }

    @Override
    public void close() {
        array.close();
        block.close();
    }
}
