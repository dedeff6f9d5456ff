package dev.drover.master.os;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The process title {@code ps} shows, set through /proc alone (no native library): the argv area
 * ({@code /proc/self/mem} between arg_start and arg_end of {@code /proc/self/stat}) and
 * {@code /proc/self/comm}. A worker sets it before jffi is loaded, if it ever is.
 */
public final class ProcessTitle {
    private ProcessTitle() {}

    /** Sets the title, cut to the argv area's length (comm: 15 bytes); false where /proc refuses. */
    public static boolean set(String title) {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long argStart = Long.parseLong(fields[45]);
            long argEnd = Long.parseLong(fields[46]);
            byte[] area = new byte[(int) (argEnd - argStart)];
            byte[] text = title.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(text, 0, area, 0, Math.min(text.length, area.length - 1));
            try (RandomAccessFile memory = new RandomAccessFile("/proc/self/mem", "rw")) {
                memory.seek(argStart);
                memory.write(area);
            }
            Files.write(Path.of("/proc/self/comm"), Arrays.copyOf(text, Math.min(text.length, 15)));
            return true;
        } catch (IOException | RuntimeException refused) {
            return false;
        }
    }
}
