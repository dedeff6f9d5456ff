package dev.drover.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileTest {

    @Test
    void linesCarryTheLocalTimeOfTheDefaultZoneAsJavaTimeGivesIt() {
        TimeZone before = TimeZone.getDefault();
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        try {
            for (String zone : List.of("UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham")) {
                TimeZone.setDefault(TimeZone.getTimeZone(zone));
                String expected = ZonedDateTime.now().format(format);
                String logged = LogFile.now();
                String after = ZonedDateTime.now().format(format);
                assertTrue(logged.equals(expected) || logged.equals(after), zone + ": logged " + logged + ", java.time " + expected);
            }
        } finally {
            TimeZone.setDefault(before);
        }
    }

    /** Java's exception names only the file; the message says why too. */
    @Test
    void aLogFileThatCannotBeOpenedIsNamedWithTheReason(@TempDir Path dir) throws Exception {
        Path file = Files.createFile(dir.resolve("not-a-directory"));
        java.io.UncheckedIOException failed = assertThrows(java.io.UncheckedIOException.class,
                () -> new LogFile(file.resolve("App.log"), false, 2048));
        assertEquals("cannot open log file " + file.resolve("App.log") + ": " + file + " is not a directory", failed.getMessage());
        assertEquals("Permission denied", FileErrors.why(new java.nio.file.AccessDeniedException("/x")));
    }

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

    @Test
    void aFullDiskLosesLinesButNotTheServiceAndTheLogSaysHowManyOnceItCanWriteAgain(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("App.log");
        Files.createSymbolicLink(path, Path.of("/dev/full")); // every write fails with ENOSPC
        try (LogFile log = new LogFile(path, false, 1 << 20)) {
            log.write(1, "lost one");
            log.write(1, "lost two");
            Files.delete(path); // space again: the next line reopens the file
            log.write(1, "written");
        }
        String text = Files.readString(path);
        assertTrue(text.contains("pid:1 warning: 2 log lines were lost from "), text);
        assertTrue(text.contains("No space left on device"), text);
        assertTrue(text.endsWith("pid:1 written\n"), text);
    }

    /** logrotate without copytruncate moves the log away (and may compress it, removing it): the next line starts a new file at the path. */
    @Test
    void aLogMovedOrRemovedBySomeoneElseIsStartedAnewAtItsPath(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("App.log");
        Path moved = dir.resolve("App.log.moved");
        try (LogFile log = new LogFile(path, false, 1 << 20)) {
            log.write(1, "before the move");
            Files.move(path, moved);
            log.write(1, "after the move");
            Files.delete(path);
            log.write(1, "after the removal");
        }
        assertTrue(Files.readString(moved).endsWith("pid:1 before the move\n"), Files.readString(moved));
        String text = Files.readString(path);
        assertTrue(text.endsWith("pid:1 after the removal\n") && !text.contains("after the move"), text);
    }
}
