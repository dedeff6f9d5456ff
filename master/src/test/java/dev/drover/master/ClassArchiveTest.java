package dev.drover.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.master.os.ExitStatus;
import dev.drover.master.os.Os;
import dev.drover.master.os.Signals;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged class archive: the JVMs it crashes or that start without it have it removed, and the next records a new one. */
class ClassArchiveTest {
    private static final List<String> OPTIONS = List.of("-Xmx64m");
    private static final ExitStatus ABORTED = new ExitStatus(-1, Signals.number("ABRT"));

    @TempDir
    Path dir;
    private final List<String> log = new ArrayList<>();
    /** What the fake /proc/PID/maps answers. */
    private Optional<Boolean> mapped = Optional.of(true);
    private String classPath;
    private Path archive;

    @BeforeEach
    void anArchiveOnDisk() throws IOException {
        classPath = Files.writeString(dir.resolve("app.jar"), "not read").toString();
        ClassArchive.Plan recording = archive().plan("java", OPTIONS, classPath);
        assertTrue(recording.records(), "no archive yet: " + recording);
        String list = recording.options().get(0).substring("-XX:DumpLoadedClassList=".length());
        archive = Files.writeString(Path.of(list.replace(".classlist", ".jsa")), "an archive");
    }

    @Test
    void aWorkerItCrashesAsItStartsHasItRemovedAndTheNextRecords() {
        ClassArchive archives = archive();
        ClassArchive.Plan plan = archives.plan("java", OPTIONS, classPath);
        assertTrue(plan.maps(), plan.toString());
        archives.spawned(plan, 101);
        archives.spawned(plan, 102);
        assertTrue(archives.exited(101, ABORTED));
        assertFalse(Files.exists(archive));
        assertEquals(List.of("warning: the class archive " + archive + " crashed pid 101 as its JVM started (exit status 6 (SIGABRT));"
                + " removed it: the next worker records its classes again and a new one is built"), log);
        assertTrue(archives.plan("java", OPTIONS, classPath).records());
        assertTrue(archives.exited(102, ABORTED), "the second JVM it crashed is its fault too");
        assertEquals(1, log.size(), "said once: " + log);
    }

    @Test
    void otherEndsAreNotTheArchivesFault() {
        ClassArchive archives = archive();
        ClassArchive.Plan plan = archives.plan("java", OPTIONS, classPath);
        archives.spawned(plan, 101);
        archives.spawned(plan, 102);
        archives.spawned(plan, 103);
        assertFalse(archives.exited(101, new ExitStatus(1, 0)), "the application's own failure");
        assertFalse(archives.exited(102, new ExitStatus(-1, Signals.number("KILL"))), "killed");
        archives.ready(103);
        assertFalse(archives.exited(103, ABORTED), "a crash after it was ready");
        assertTrue(Files.exists(archive));
        assertTrue(log.isEmpty(), log.toString());
    }

    @Test
    void aWorkerReadyWithoutItHasItRemoved() {
        mapped = Optional.of(false);
        ClassArchive archives = archive();
        archives.spawned(archives.plan("java", OPTIONS, classPath), 101);
        archives.ready(101);
        assertFalse(Files.exists(archive));
        assertEquals(List.of("warning: the class archive " + archive + " was refused by pid 101, which started without it (a damaged header,"
                + " or made by another build of java); removed it: the next worker records its classes again and a new one is built"), log);
    }

    @Test
    void onlyTheFirstWorkerReadyIsCheckedAndOneGoneMeanwhileTellsNothing() throws IOException {
        ClassArchive archives = archive();
        ClassArchive.Plan plan = archives.plan("java", OPTIONS, classPath);
        archives.spawned(plan, 101);
        archives.spawned(plan, 102);
        archives.spawned(plan, 103);
        mapped = Optional.empty();
        archives.ready(101);
        mapped = Optional.of(true);
        archives.ready(102);
        mapped = Optional.of(false);
        archives.ready(103);
        assertTrue(Files.exists(archive));
        assertTrue(log.isEmpty(), log.toString());
    }

    @Test
    void anArchiveDeletedWhileTheMasterRunsIsRecordedAgain() throws IOException {
        ClassArchive archives = archive();
        assertTrue(archives.plan("java", OPTIONS, classPath).maps());
        Files.delete(archive);
        ClassArchive.Plan next = archives.plan("java", OPTIONS, classPath);
        assertTrue(next.records(), "not a JVM started without any archive: " + next);
    }

    @Test
    void aMasterItCrashesIsStartedAgainWithoutIt() {
        ClassArchive archives = archive();
        ClassArchive.Plan plan = archives.planMaster("java", OPTIONS, classPath);
        assertEquals(Optional.empty(), archives.crashedAtStart(plan, new ExitStatus(1, 0)));
        assertEquals(Optional.of(archive), archives.crashedAtStart(plan, new ExitStatus(-1, Signals.number("SEGV"))));
        assertFalse(Files.exists(archive));
        ClassArchive.Plan again = archives.planMaster("java", OPTIONS, classPath);
        assertTrue(again.records() && !again.maps(), again.toString());
        assertEquals(Optional.empty(), archives.crashedAtStart(again, ABORTED), "no archive to blame");
    }

    /** A fresh master's view of the cache, over an Os that only answers what a process maps. */
    private ClassArchive archive() {
        Os os = (Os) Proxy.newProxyInstance(Os.class.getClassLoader(), new Class<?>[] {Os.class}, (proxy, method, args) -> {
            if (method.getName().equals("mapsFileNamed")) {
                return mapped.map(yes -> yes && args[1].equals(archive.getFileName().toString()));
            }
            throw new UnsupportedOperationException(method.getName());
        });
        return new ClassArchive(os, dir, "App", log::add);
    }
}
