package dev.drover.master.os;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * A NULL-terminated {@code char *[]} (argv, envp) that keeps its strings alive while it is
 * reachable. Two native blocks whatever the count: the pointer array and every string packed into
 * one, so a spawn does not leave a hundred small blocks for the garbage collector to free.
 */
final class NativeStrings {
    private final Pointer array;
    private final Pointer block;

    NativeStrings(Runtime runtime, List<String> values) {
        int slot = runtime.addressSize();
        List<byte[]> encoded = new ArrayList<>(values.size());
        long total = 0;
        for (String value : values) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            encoded.add(bytes);
            total += bytes.length + 1;
        }
        array = Memory.allocateDirect(runtime, (long) slot * (values.size() + 1), true);
        block = Memory.allocateDirect(runtime, Math.max(1, total), true);
        long at = 0;
        for (int i = 0; i < encoded.size(); i++) {
            byte[] bytes = encoded.get(i);
            block.put(at, bytes, 0, bytes.length); // the zeroed block ends each string with NUL
            array.putPointer((long) slot * i, block.slice(at));
            at += bytes.length + 1;
        }
    }

    Pointer pointer() {
        return array;
    }
}
