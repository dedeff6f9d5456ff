package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 8: worker JVMs start from an AppCDS archive the master builds once per program, and without jffi. */
@Timeout(180)
class ClassArchiveIT {

    @Test
    void workersStartedAfterTheFirstMapTheArchiveItsClassListBuilt(@TempDir Path dir) throws Exception {
        Path jar = VersionedApp.jar(dir);
        try (App app = VersionedApp.v1(dir, "-Dapp.count=2").fromJar(jar)) {
            app.start();
            Await.until("the archive is built", Duration.ofSeconds(60), () -> app.log().contains("class archive for the workers ready"));
            Path cache = dir.resolve(".drover-cache");
            assertTrue(Files.getPosixFilePermissions(cache).equals(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            App.WorkerRow first = app.workers().get(0);
            Processes.kill(first.pid(), "KILL");
            long replacement = Await.value("the replacement", Duration.ofSeconds(30), () -> app.workers().stream()
                    .filter(w -> w.id() == first.id() && w.pid() != first.pid() && w.state().equals("ready")).findFirst()
                    .map(App.WorkerRow::pid).orElse(null));
            String maps = Files.readString(Path.of("/proc/" + replacement + "/maps"));
            assertTrue(maps.contains(".drover-cache/VersionApp-") && maps.contains(".jsa"), "the new worker maps the archive:\n" + maps);
            // Its sockets came through Netty's recvFd: a worker with no user to switch to never loads jffi.
            assertTrue(maps.contains(".drover-cache/netty-native-") && maps.contains("libnetty_transport_native_epoll"),
                    "Netty's library comes from the copy in the cache, not a temporary file of its own:\n" + maps);
            assertFalse(maps.contains("jffi"), "the worker loaded jffi's native library:\n" + maps);
            assertEquals("v1", Http.get(app.port(), "/"));

            // A deploy changes the jar: the next workers record and build a new archive, the old one goes.
            VersionedApp.deploy(dir, jar, VersionedApp.source("v2"));
            assertTrue(app.run("reload").code() == 0);
            Await.until("a second archive is built", Duration.ofSeconds(60),
                    () -> app.log().split("class archive for the workers ready", -1).length == 3);
            try (var files = Files.list(cache)) {
                assertEquals(1, files.filter(f -> f.toString().endsWith(".jsa")).count(), "the first deploy's archive is gone");
            }
            assertEquals("v2", Http.get(app.port(), "/"));
        }
    }

    @Test
    void theWorkersArchiveHoldsWhatAFirstRequestLoadsThoughNoRequestCameBeforeItWasBuilt(@TempDir Path dir) throws Exception {
        Path jar = VersionedApp.jar(dir);
        try (App app = VersionedApp.v1(dir, "-Dapp.count=1").fromJar(jar)) {
            app.start(); // no request until the archive is dumped: the recording worker rehearsed one with itself
            Await.until("the archive is built", Duration.ofSeconds(60), () -> app.log().contains("class archive for the workers ready"));
            String status = app.run("status", "--json").out();
            assertTrue(status.contains("\"total_request\":0") && status.contains("\"connections\":0"),
                    "the rehearsal is neither a request nor a connection of the application's:\n" + status);
            App.WorkerRow recorder = app.workers().get(0);
            Processes.kill(recorder.pid(), "KILL");
            long replacement = Await.value("the replacement", Duration.ofSeconds(30), () -> app.workers().stream()
                    .filter(w -> w.pid() != recorder.pid() && w.state().equals("ready")).findFirst().map(App.WorkerRow::pid).orElse(null));
            String archive = Files.readAllLines(Path.of("/proc/" + replacement + "/maps")).stream().map(l -> l.substring(l.lastIndexOf(' ') + 1))
                    .filter(f -> f.startsWith(dir.resolve(".drover-cache").toString()) && f.endsWith(".jsa")).findFirst().orElseThrow();
            String classes = Processes.run(App.javaOf(System.getProperty("java.home")), "-XX:SharedArchiveFile=" + archive,
                    "-XX:+PrintSharedArchiveAndExit", "-cp", jar + ":" + TestClassPath.jars()).output();
            for (String loadedByARequest : List.of("io.netty.channel.epoll.EpollSocketChannel", "io.netty.handler.codec.http.HttpObjectDecoder",
                    "io.netty.handler.codec.http.HttpObjectAggregator", "dev.drover.internal.ConnectionHandler", "dev.drover.internal.PlainAnswer",
                    "dev.drover.http.Response", "io.netty.handler.codec.http.HttpHeaderValidationUtil", "io.netty.handler.codec.http.DefaultFullHttpResponse")) {
                assertTrue(classes.contains(loadedByARequest + " "), loadedByARequest + " is in the archive " + archive + ":\n"
                        + classes.lines().filter(l -> l.contains("netty") || l.contains("drover")).limit(40).toList());
            }
            for (String rehearsalOnly : List.of("java.net.Socket", "java.util.regex.Pattern")) {
                assertFalse(classes.contains(rehearsalOnly + " "), rehearsalOnly + " (the rehearsal's client, 0.4 MB of every worker) is in the archive " + archive);
            }
            assertEquals("v1", Http.get(app.port(), "/"));
            assertTrue(app.run("status", "--json").out().contains("\"total_request\":1"), "the first request counts as the first");
        }
    }

    @Test
    void aWorkerStartedFromTheArchiveDefinesNoClassOfDroversWhileItStarts(@TempDir Path dir) throws Exception {
        Path jar = VersionedApp.jar(dir);
        String classLog = dir.resolve("classes-%p.log").toString();
        try (App app = VersionedApp.v1(dir, "-Dapp.count=1", "-Xlog:class+load=info:file=" + classLog).fromJar(jar)) {
            app.start();
            Await.until("the archive is built", Duration.ofSeconds(60), () -> app.log().contains("class archive for the workers ready"));
            long recorder = app.readyInLog("web").get(0);
            Processes.kill(recorder, "KILL");
            // Found in the log, not by asking it for its status: that would link what a status needs.
            long replacement = Await.value("the replacement", Duration.ofSeconds(30),
                    () -> app.readyInLog("web").stream().filter(pid -> pid != recorder).findFirst().orElse(null));
            Path replacementLog = Path.of(classLog.replace("%p", Long.toString(replacement)));
            List<String> loaded = Files.readAllLines(replacementLog);
            List<String> ownDefinitions = loaded.stream()
                    .filter(l -> l.contains(" dev.drover.") && !l.endsWith("source: shared objects file")).toList();
            assertTrue(ownDefinitions.isEmpty(), "classes (lambdas) the recording worker's class list missed: " + ownDefinitions);
            // What every worker's start loaded for a listener it binds itself once put 0.35 MiB on each (53ac5f6).
            for (String notForEveryWorker : List.of("java.lang.ProcessHandleImpl", "java.util.stream.ReferencePipeline")) {
                assertTrue(loaded.stream().noneMatch(l -> l.contains("] " + notForEveryWorker + " ")),
                        notForEveryWorker + " loaded by a worker that binds nothing itself: " + replacementLog);
            }
        }
    }

    @Test
    void aMasterDroverStartsMapsAnArchiveOfItsOwnOnceOneRecordedIt(@TempDir Path dir) throws Exception {
        Path jar = VersionedApp.jar(dir);
        try (App app = VersionedApp.v1(dir, "-Dapp.count=1").fromJar(jar)) {
            app.start(); // start -d: the daemon master records its class list, then dumps its archive once started
            Await.until("the master's archive is built", Duration.ofSeconds(60),
                    () -> app.log().contains("class archive for the master ready"));
            long first = app.masterPid();
            String recording = Files.readString(Path.of("/proc/" + first + "/maps"));
            assertFalse(recording.contains(".jsa"), "the recording master maps no class archive, ours or the JDK's:\n" + recording);
            assertTrue(recording.contains(".drover-cache/jffi-native-"), "the first master loads jffi's stub from the copy it made:\n" + recording);
            assertEquals(0, app.run("restart").code());
            long successor = Await.value("the successor", Duration.ofSeconds(30), () -> {
                long pid = app.masterPid();
                return pid != first ? pid : null;
            });
            String maps = Files.readString(Path.of("/proc/" + successor + "/maps"));
            assertTrue(maps.contains(".drover-cache/VersionApp-") && maps.contains(".jsa"), "the successor maps the master's archive:\n" + maps);
            assertTrue(maps.contains(".drover-cache/jffi-native-"), "the successor loads jffi's stub from the copy in the cache:\n" + maps);
            assertEquals("v1", Http.get(app.port(), "/"));
        }
    }

    @Test
    void aDamagedArchiveIsRemovedAndBuiltAgainWhetherItCrashesTheJvmsThatMapItOrTheyRefuseIt(@TempDir Path dir) throws Exception {
        Path jar = VersionedApp.jar(dir);
        try (App app = VersionedApp.v1(dir, "-Dapp.count=2").fromJar(jar)) {
            app.start();
            Await.until("both archives are built", Duration.ofSeconds(60), () -> builtArchives(app, "master").size() == 1
                    && builtArchives(app, "workers").size() == 1);
            Path master = builtArchives(app, "master").get(0);
            Path workers = builtArchives(app, "workers").get(0);
            assertEquals(0, app.run("stop").code());

            // Cut short (a copy that ran out of disk): every JVM that maps it crashes as it starts.
            cutShort(master);
            cutShort(workers);
            App.Result start = app.runIgnoring("INT HUP", "start", "-d"); // the command spawns the master itself
            assertEquals(0, start.code(), start.all() + "\n" + app.log());
            assertTrue(start.err().contains("crashed as its JVM started (exit status 6 (SIGABRT)), mapping the class archive " + master
                    + "; removed it, starting the master again without it"), start.all());
            assertTrue(app.log().contains("warning: the class archive " + workers + " crashed pid "), app.log());
            assertEquals("v1", Http.get(app.port(), "/"));
            Await.until("both archives are built again", Duration.ofSeconds(60), () -> builtArchives(app, "master").size() == 2
                    && builtArchives(app, "workers").size() == 2);

            // A restart's new master that its archive crashes is started again without it: the restart succeeds.
            Path cut = master.resolveSibling("cut.tmp");
            Files.copy(master, cut);
            cutShort(cut);
            Files.move(cut, master, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // the running master keeps its mapping
            long before = app.masterPid();
            App.Result restart = app.run("restart");
            assertEquals(0, restart.code(), restart.all() + "\n" + app.log());
            assertTrue(restart.out().contains("crashed as its JVM started (exit status 6 (SIGABRT)), mapping its class archive, which is removed"),
                    restart.all());
            Await.until("the new master took over", Duration.ofSeconds(30), () -> app.masterPid() != before);
            Await.until("the master's archive is built a third time", Duration.ofSeconds(60), () -> builtArchives(app, "master").size() == 3);
            assertEquals("v1", Http.get(app.port(), "/"));
            assertEquals(0, app.run("stop").code());

            // A damaged header: the JVM starts without the archive, slower and larger, unless told.
            damageHeader(master);
            damageHeader(workers);
            app.start(); // start -d through a JVM that starts the master with ProcessBuilder
            assertTrue(app.log().contains("warning: the class archive " + master + " was refused by pid " + app.masterPid()
                    + ", which started without it"), app.log());
            assertTrue(app.log().contains("warning: the class archive " + workers + " was refused by pid "), app.log());
            App.WorkerRow first = app.workers().get(0);
            Processes.kill(first.pid(), "KILL"); // its replacement records the class list again
            Await.until("the workers' archive is built a third time", Duration.ofSeconds(60), () -> builtArchives(app, "workers").size() == 3);
            assertTrue(Files.size(workers) > 1 << 20, "a whole archive again");
            assertEquals("v1", Http.get(app.port(), "/"));
        }
    }

    /** The archives the log says were built for {@code owner} ("master" or "workers"), in order. */
    private static List<Path> builtArchives(App app, String owner) {
        return app.log().lines().filter(l -> l.contains("class archive for the " + owner + " ready in "))
                .map(l -> Path.of(l.substring(l.indexOf(": ", l.indexOf(" ready in ")) + 2, l.indexOf(".jsa;") + 4))).toList();
    }

    private static void cutShort(Path archive) throws Exception {
        try (var file = java.nio.channels.FileChannel.open(archive, java.nio.file.StandardOpenOption.WRITE)) {
            file.truncate(file.size() / 2);
        }
    }

    private static void damageHeader(Path archive) throws Exception {
        try (var file = java.nio.channels.FileChannel.open(archive, java.nio.file.StandardOpenOption.WRITE)) {
            file.write(java.nio.ByteBuffer.allocate(64), 0);
        }
    }

    @Test
    void aClassDirectoryOnTheClassPathMeansNoArchive(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, dev.drover.it.apps.PidApp.class, "-Dapp.count=1")) {
            app.start();
            long worker = app.workers().get(0).pid();
            assertTrue(Processes.alive(worker));
            // the cache holds the native libraries' copies (NativeCopies), and nothing of CDS
            try (var files = Files.list(dir.resolve(".drover-cache"))) {
                List<String> names = files.map(f -> f.getFileName().toString()).toList();
                assertTrue(names.stream().allMatch(n -> n.startsWith("netty-native-") || n.startsWith("jffi-native-")), "no class list recorded, no archive built: " + names);
            }
        }
    }
}
