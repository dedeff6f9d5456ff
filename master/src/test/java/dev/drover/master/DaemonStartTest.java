package dev.drover.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonStartTest {
    @Test
    void takesThePlainFormsOfStartDaemon() {
        assertTrue(DaemonStart.accepts(new String[] {"start", "-d"}));
        assertTrue(DaemonStart.accepts(new String[] {"start", "--daemon", "--pid-file", "/run/app.pid"}));
        assertTrue(DaemonStart.accepts(new String[] {"start", "--pid-file=/run/app.pid", "-d", "--watch"}));
    }

    @Test
    void leavesEverythingElseToPicocli() {
        assertFalse(DaemonStart.accepts(new String[] {"start"}), "the foreground");
        assertFalse(DaemonStart.accepts(new String[] {"start", "--watch"}), "the foreground");
        assertFalse(DaemonStart.accepts(new String[] {"restart", "-d"}));
        assertFalse(DaemonStart.accepts(new String[] {"--pid-file", "x", "start", "-d"}), "an option before the command");
        assertFalse(DaemonStart.accepts(new String[] {"start", "-d", "--help"}));
        assertFalse(DaemonStart.accepts(new String[] {"start", "-dx"}), "picocli's error message");
        assertFalse(DaemonStart.accepts(new String[] {"start", "-d", "--pid-file"}), "picocli's missing-value message");
        assertFalse(DaemonStart.accepts(new String[] {"start", "-d", "--pid-file="}));
        assertFalse(DaemonStart.accepts(new String[] {"start", "-d", "extra"}));
    }

    @Test
    void readsThePidFileOptionInBothForms() {
        assertEquals(Optional.of(Path.of("/run/a.pid")), DaemonStart.pidFileOption(new String[] {"start", "-d", "--pid-file", "/run/a.pid"}));
        assertEquals(Optional.of(Path.of("/run/b.pid")), DaemonStart.pidFileOption(new String[] {"restart", "--pid-file=/run/b.pid"}));
        assertEquals(Optional.empty(), DaemonStart.pidFileOption(new String[] {"start", "-d"}));
    }

    @Test
    void tellsReportLinesFromTheJvmsOwnOutput() {
        assertTrue(DaemonStart.isReportLine("out drover[App] start success"));
        assertTrue(DaemonStart.isReportLine("err worker failed"));
        assertTrue(DaemonStart.isReportLine("exit 0"));
        assertFalse(DaemonStart.isReportLine("[0.005s][info][gc] Using Serial"));
        assertFalse(DaemonStart.isReportLine("output of the JVM"));
    }

    @Test
    void pointsAtTheLogOnlyWhenTheMasterWroteToIt(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("App.log");
        Path stdout = dir.resolve("App.out");
        assertEquals("it wrote nothing to " + log + ": its JVM's own output is in " + stdout, DaemonStart.whereToLook(log, 0, stdout));
        assertEquals("it wrote nothing to " + log + ", and its JVM's own output went to /dev/null (no stdoutFile): "
                + "set one, or start in the foreground, to see why", DaemonStart.whereToLook(log, 0, Path.of("/dev/null")));
        Files.writeString(log, "an earlier start\n");
        long before = DaemonStart.sizeOf(log);
        assertEquals("it wrote nothing to " + log + ": its JVM's own output is in " + stdout, DaemonStart.whereToLook(log, before, stdout));
        Files.writeString(log, "this start\n", StandardOpenOption.APPEND);
        assertEquals("see " + log, DaemonStart.whereToLook(log, before, stdout));
    }

    @Test
    void aStartTheMasterSaidFailedReturnsOnceItIsGoneAndEveryOtherAtOnce(@TempDir Path dir) {
        AppSpec app = new AppSpec("App", List.of(), null, dir.resolve("App.log"), 0, null, Duration.ofSeconds(2), null, null);
        AtomicInteger polls = new AtomicInteger();
        assertEquals(ExitCodes.FAILED, DaemonStart.outcome(app, ExitCodes.FAILED, 4242, () -> "exited", () -> polls.incrementAndGet() >= 3, 0));
        assertEquals(3, polls.get(), "a master that said it failed is asked about until it is gone");
        BooleanSupplier never = () -> {
            polls.incrementAndGet();
            return false;
        };
        assertEquals(ExitCodes.OK, DaemonStart.outcome(app, ExitCodes.OK, 4242, () -> "", never, 0));
        assertEquals(ExitCodes.FAILED, DaemonStart.outcome(app, -1, 4242, () -> "closed its report", never, 0));
        assertEquals(ExitCodes.FAILED, DaemonStart.outcome(app, Reply.TIMED_OUT, 4242, () -> "", never, 0));
        assertEquals(3, polls.get(), "a started master, one that only closed its report (dead, or alive and running) "
                + "and one still trying are not waited for");
    }

    @Test
    void archiveKeysAreFnv1a64() {
        assertEquals("cbf29ce484222325", ClassArchive.fingerprint(""));
        assertEquals("af63dc4c8601ec8c", ClassArchive.fingerprint("a"));
    }
}
