package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.PidApp;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, acceptance 4: the operator socket answers root and the master's user only. A root
 * master's socket is mode 0600; and were it opened to everybody, SO_PEERCRED still refuses others.
 */
@Timeout(120)
class OperatorSocketIT {

    @Test
    void aNonRootUsersStatusAgainstARootMasterIsRefusedWithAClearMessage(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run a command as another user");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1").withClassPath(readableClassPath(dir))) {
            app.start();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(app.pidFile().resolveSibling("app.pid.sock"))));
            for (Path file : List.of(app.pidFile(), app.logFile(), app.pidFile().resolveSibling("app.pid.lock"))) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
                assertTrue(mode.charAt(4) == '-' && mode.charAt(7) == '-', file + " is not group or world writable: " + mode);
            }

            Ran denied = asNobody(app, dir, "status");
            System.out.println("status as uid 65534: " + denied.err().strip());
            assertEquals(1, denied.code(), denied.err());
            assertTrue(denied.err().contains("Permission denied") && denied.err().contains("run this command as root or as uid 0"),
                    denied.err());

            Ran start = asNobody(app, dir, "start", "-d");
            assertEquals(1, start.code(), start.err());
            assertTrue(start.err().contains("the lock file belongs to uid 0, whose master (pid " + app.masterPid()
                            + ") holds it: run this command as root or as uid 0"),
                    "not 'choose a --pid-file in a directory this user can write': " + start.err());

            // Opened to everybody, the socket still checks who connects (SO_PEERCRED).
            Files.setPosixFilePermissions(app.pidFile().resolveSibling("app.pid.sock"), PosixFilePermissions.fromString("rw-rw-rw-"));
            Files.setPosixFilePermissions(app.pidFile().resolveSibling("app.pid.lock"), PosixFilePermissions.fromString("rw-rw-rw-"));
            Ran refused = asNobody(app, dir, "status");
            assertEquals(1, refused.code(), refused.err());
            assertTrue(refused.err().contains("uid 65534 may not command this master (it runs as uid 0)"), refused.err());

            assertEquals(0, app.run("status").code(), "root still may");

            // Stopped, the master leaves its lock file: another user's start is told that none holds it.
            assertEquals(0, app.run("stop").code());
            Files.setPosixFilePermissions(app.pidFile().resolveSibling("app.pid.lock"), PosixFilePermissions.fromString("rw-r--r--"));
            Ran stale = asNobody(app, dir, "start", "-d");
            assertEquals(1, stale.code(), stale.err());
            assertTrue(stale.err().contains("the lock file belongs to uid 0, and no master holds it (one that ended left it): remove "
                    + app.pidFile().resolveSibling("app.pid.lock") + " as root or as uid 0"), stale.err());
        }
    }

    /**
     * A reader that takes a long connections list slowly (a pager) gets all of it, and the master
     * answers others meanwhile: what its socket does not take waits in memory, not in the master's
     * loop. (The master wrote it blocking, and cut a reader that took nothing for 2 s.)
     */
    @Test
    void aSlowReaderGetsTheWholeListAndHoldsNobodyUp(@TempDir Path dir) throws Exception {
        int count = 3000; // rows of ~150 bytes: past what the sockets' buffers take
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            app.start();
            int port = app.port();
            List<SocketChannel> clients = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    clients.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)));
                }
                Await.until("the worker holds them all", Duration.ofSeconds(30),
                        () -> app.status().get("processes").get(0).get("connections").asInt() >= count);
                try (SocketChannel operator = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    operator.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                    operator.connect(UnixDomainSocketAddress.of(app.pidFile().resolveSibling("app.pid.sock")));
                    operator.write(ByteBuffer.wrap("connections\n".getBytes(StandardCharsets.US_ASCII)));
                    assertEquals(0, app.run("status").code(), "answered while the list waits for its reader");
                    Thread.sleep(3000); // the reader looks 3 s later: the scenario, not a wait for something
                    String reply = new String(Channels.newInputStream(operator).readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(reply.endsWith("\nexit 0\n"), reply.substring(Math.max(0, reply.length() - 300)));
                    assertTrue(reply.contains("out " + count + " connections\n"), reply.substring(Math.max(0, reply.length() - 300)));
                }
            } finally {
                for (SocketChannel client : clients) {
                    client.close();
                }
            }
        }
    }

    private record Ran(int code, String err) {}

    /** The app's command as uid/gid 65534, through setpriv. */
    private static Ran asNobody(App app, Path dir, String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        argv.addAll(app.commandLine(command));
        Path err = dir.resolve("nobody-" + String.join("", command) + ".err");
        Process process = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(false)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " as nobody did not finish within 60 s");
        }
        return new Ran(process.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The app and drover's jars copied where uid 65534 can read them (the build's may sit under a 0700 home). */
    private static String readableClassPath(Path dir) throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path app = Files.move(Jars.ofClass(dir, PidApp.class), lib.resolve("pid-app.jar"));
        List<String> entries = new ArrayList<>(List.of(app.toString()));
        for (String jar : TestClassPath.jars().split(File.pathSeparator)) {
            Path copy = lib.resolve(Path.of(jar).getFileName());
            Files.copy(Path.of(jar), copy);
            entries.add(copy.toString());
        }
        for (Path p : List.of(lib, app)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
        }
        return String.join(File.pathSeparator, entries);
    }
}
