package dev.drover.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.master.os.Os;
import dev.drover.master.os.OsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A unix:// listener replaces a stale socket file, and nothing else: another program's file stays as it was. */
class ListenersTest {
    private final Os os = Os.linux();

    private int open(Path path) {
        return Listeners.open(os, ListenAddress.parse("unix://" + path), false);
    }

    @Test
    void aStaleSocketFileIsReplaced(@TempDir Path dir) {
        Path path = dir.resolve("app.sock");
        os.close(open(path)); // its listener gone, its file left behind (as a kill -9 leaves it)
        int again = open(path);
        try {
            os.close(os.connectUnix(path));
        } finally {
            os.close(again);
        }
    }

    @Test
    void aLiveSocketIsInUse(@TempDir Path dir) {
        Path path = dir.resolve("app.sock");
        int live = open(path);
        try {
            OsException inUse = assertThrows(OsException.class, () -> open(path));
            assertTrue(inUse.addressInUse() && inUse.getMessage().contains("(a process accepts connections there)"), inUse.getMessage());
            os.close(os.connectUnix(path)); // still the first one's
        } finally {
            os.close(live);
        }
    }

    /** A FIFO or a regular file at the path (a typo's /dev/log, /dev/null) is left alone: the start fails, naming it. */
    @Test
    void anotherKindOfFileIsLeftAlone(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("fifo.sock");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        OsException inUse = assertThrows(OsException.class, () -> open(fifo));
        assertEquals("bind unix://" + fifo + " (" + fifo + " is a FIFO) failed: Address already in use (98)", inUse.getMessage());
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo), "the FIFO stays");

        Path file = Files.writeString(dir.resolve("file.sock"), "kept");
        assertTrue(assertThrows(OsException.class, () -> open(file)).getMessage().contains(file + " is a regular file"));
        assertEquals("kept", Files.readString(file));
    }
}
