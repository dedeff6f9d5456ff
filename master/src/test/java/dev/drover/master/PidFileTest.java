package dev.drover.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.master.os.Os;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the read-only side of a pid file leaves alone: a missing directory, and files that are no pid file. */
class PidFileTest {
    private final Os os = Os.linux();

    @Test
    void askingWhetherAMasterRunsCreatesNoDirectory(@TempDir Path dir) {
        PidFile pidFile = new PidFile(dir.resolve("missing/sub/App.pid"), os);
        assertFalse(pidFile.isLocked());
        assertFalse(Files.exists(dir.resolve("missing")), "no directory made for a question");
    }

    @Test
    void onlyAFileHoldingAPidOrNothingIsStale(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("App.pid");
        PidFile pidFile = new PidFile(path, os);
        for (String content : new String[] {"", "\n", "999999\n"}) {
            Files.writeString(path, content);
            assertEquals(Optional.empty(), pidFile.foreign(), content);
            assertTrue(pidFile.removeStale().isPresent(), content);
            assertFalse(Files.exists(path));
        }
        for (String content : new String[] {"server:\n  port: 80\n", "12345 some notes\n", "1".repeat(40)}) {
            Files.writeString(path, content);
            assertTrue(pidFile.foreign().orElseThrow().contains("holds something other than a pid"), content);
            assertEquals(Optional.empty(), pidFile.removeStale(), content);
            assertEquals(content, Files.readString(path));
        }
        Files.delete(path);
        Files.createDirectory(path);
        assertTrue(pidFile.foreign().orElseThrow().contains("is not a pid file (a directory)"));
        assertEquals(Optional.empty(), pidFile.removeStale());
        assertTrue(Files.isDirectory(path));
    }
}
