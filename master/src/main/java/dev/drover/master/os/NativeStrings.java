package dev.drover.master.os;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/** A NULL-terminated {@code char *[]} (argv, envp) that keeps its strings alive while it is reachable. */
final class NativeStrings {
    private final Pointer array;
    private final List<Pointer> strings = new ArrayList<>();

    NativeStrings(Runtime runtime, List<String> values) {
        int slot = runtime.addressSize();
        array = Memory.allocateDirect(runtime, (long) slot * (values.size() + 1), true);
        for (int i = 0; i < values.size(); i++) {
            byte[] bytes = values.get(i).getBytes(StandardCharsets.UTF_8);
            Pointer string = Memory.allocateDirect(runtime, bytes.length + 1, true);
            string.put(0, bytes, 0, bytes.length);
            strings.add(string);
            array.putPointer((long) slot * i, string);
        }
    }

    Pointer pointer() {
        return array;
    }
}
