package dev.drover.master;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileTest {

    @Test
    void writesWorkermanLinesAndRotatesAtTheCap(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("App.log");
        try (LogFile log = new LogFile(path, false, 2048)) {
            log.write(4242, "worker[web:4243] exit with status 9 (SIGKILL)");
            assertTrue(Files.readString(path).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d pid:4242 worker\\[web:4243] exit with status 9 \\(SIGKILL\\)\n"),
                    Files.readString(path));
            for (int i = 0; i < 100; i++) {
                log.write(1, "line " + i);
            }
        }
        assertTrue(Files.exists(dir.resolve("App.log.1")), "rotated to App.log.1");
        assertTrue(Files.size(path) < 2048 + 100, "the new log starts small");
        assertTrue(Files.readString(path).contains("line 99"));
    }
}
