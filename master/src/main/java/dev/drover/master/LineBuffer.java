package dev.drover.master;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Collects bytes read from a stream socket and hands out complete {@code \n}-terminated lines. */
public final class LineBuffer {
    private final int maxLine;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    /** @param maxLine the longest line accepted; a longer one is an error of the peer */
    public LineBuffer(int maxLine) {
        this.maxLine = maxLine;
    }

    /** Forgets a partial line (after an oversized one was refused). */
    public void clear() {
        partial.reset();
    }

    /** Adds {@code count} bytes and returns the lines they completed, without their newlines. */
    public List<String> add(byte[] bytes, int count) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < count; i++) {
            if (bytes[i] == '\n') {
                partial.write(bytes, start, i - start);
                lines.add(partial.toString(StandardCharsets.UTF_8));
                partial.reset();
                start = i + 1;
            }
        }
        partial.write(bytes, start, count - start);
        if (partial.size() > maxLine) {
            partial.reset();
            throw new IllegalStateException("line longer than " + maxLine + " bytes");
        }
        return lines;
    }
}
