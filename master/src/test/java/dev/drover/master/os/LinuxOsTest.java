package dev.drover.master.os;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The OS seam against the real kernel. */
@Timeout(30)
class LinuxOsTest {
    private final Os os = Os.linux();

    @Test
    void tellsWhetherAProcessMapsAFileByItsName(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        int self = os.getpid();
        List<String> files = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/maps")).stream()
                .filter(line -> line.endsWith(".so") || line.endsWith(".jar") || line.endsWith("/modules"))
                .map(line -> line.substring(line.lastIndexOf('/') + 1)).distinct().toList();
        assertTrue(files.contains("libjvm.so") && files.size() > 5, files.toString());
        for (String file : files) { // some of their lines cross the 8 KiB reads
            assertEquals(java.util.Optional.of(true), os.mapsFileNamed(self, file), file);
        }
        assertEquals(java.util.Optional.of(false), os.mapsFileNamed(self, "libjvm.s"), "a name is matched whole");
        assertEquals(java.util.Optional.of(false), os.mapsFileNamed(self, "App-0123456789abcdef.jsa"));
        java.nio.file.Path archive = java.nio.file.Files.write(dir.resolve("App-0123456789abcdef.jsa"), new byte[4096]);
        try (var channel = java.nio.channels.FileChannel.open(archive)) {
            java.nio.MappedByteBuffer mapped = channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, 4096);
            assertEquals(java.util.Optional.of(true), os.mapsFileNamed(self, "App-0123456789abcdef.jsa"));
            java.nio.file.Files.delete(archive); // replaced by a new dump: still mapped, as "(deleted)"
            assertEquals(java.util.Optional.of(true), os.mapsFileNamed(self, "App-0123456789abcdef.jsa"));
            assertEquals(0, mapped.get(0));
        }
        assertEquals(java.util.Optional.empty(), os.mapsFileNamed(Integer.MAX_VALUE, "libjvm.so"), "no such process");
    }

    @Test
    void findsAMappingWhoseLineCrossesTheEndOfARead() throws Exception {
        String filler = "7f0000000000-7f0000001000 r--p 00000000 08:01 42 /usr/lib/x86_64-linux-gnu/libfiller.so\n";
        for (int before = 7900; before < 8300; before += 3) { // the name crosses the end of a read (4,000 bytes, or the buffer's 8 KiB)
            StringBuilder maps = new StringBuilder(filler.repeat(before / filler.length()));
            maps.append("x".repeat(before % filler.length())).append('\n');
            maps.append("7f1000000000-7f1001000000 r--p 00000000 08:01 43 /srv/app/.drover-cache/App-0123456789abcdef.jsa\n").append(filler);
            byte[] bytes = maps.toString().getBytes(StandardCharsets.US_ASCII);
            var trickle = new java.io.FilterInputStream(new java.io.ByteArrayInputStream(bytes)) {
                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    return super.read(b, off, Math.min(len, 4000)); // /proc gives a page or so at a time
                }
            };
            assertEquals(java.util.Optional.of(true), LinuxOs.listsFileNamed(trickle, "App-0123456789abcdef.jsa"), "at " + before);
            assertEquals(java.util.Optional.of(true), LinuxOs.listsFileNamed(new java.io.ByteArrayInputStream(bytes), "App-0123456789abcdef.jsa"));
            assertEquals(java.util.Optional.of(false), LinuxOs.listsFileNamed(new java.io.ByteArrayInputStream(bytes), "App-0123456789abcdef.js"));
        }
        assertEquals(java.util.Optional.empty(), LinuxOs.listsFileNamed(java.io.InputStream.nullInputStream(), "App.jsa"), "a zombie's");
    }

    @Test
    void passesDescriptorsOverSocketPair() {
        int[] pair = os.socketPair();
        int[] other = os.socketPair();
        try {
            os.sendWithFds(pair[0], "fds 1\n".getBytes(StandardCharsets.US_ASCII), new int[] {other[0]});
            Received received = os.receiveWithFds(pair[1], 64, 4);
            assertEquals("fds 1\n", new String(received.data(), StandardCharsets.US_ASCII));
            assertEquals(1, received.fds().length);
            int passed = received.fds()[0];
            assertNotEquals(other[0], passed);
            byte[] hello = "hi".getBytes(StandardCharsets.US_ASCII);
            assertEquals(2, os.write(passed, hello, 0, 2));
            byte[] buffer = new byte[8];
            assertEquals(2, os.read(other[1], buffer));
            os.close(passed);
            os.close(pair[0]);
            assertTrue(os.receiveWithFds(pair[1], 64, 4).endOfStream());
        } finally {
            os.close(pair[1]);
            os.close(other[0]);
            os.close(other[1]);
        }
    }

    @Test
    void aNonBlockingReceiveWithNothingToReadWouldBlockAndIsNotTheEnd() {
        int[] pair = os.socketPair();
        try {
            os.setNonBlocking(pair[1], true);
            Received nothing = os.receiveWithFds(pair[1], 64, 1);
            assertTrue(nothing.wouldBlock());
            assertFalse(nothing.endOfStream());
            os.close(pair[0]);
            assertTrue(os.receiveWithFds(pair[1], 64, 1).endOfStream());
        } finally {
            os.close(pair[1]);
        }
    }

    @Test
    void passesSeveralDescriptorsInOneMessageInOrder() {
        int[] pair = os.socketPair();
        int[][] others = {os.socketPair(), os.socketPair(), os.socketPair()};
        try {
            os.sendWithFds(pair[0], "three\n".getBytes(StandardCharsets.US_ASCII), new int[] {others[0][0], others[1][0], others[2][0]});
            Received received = os.receiveWithFds(pair[1], 64, 8);
            assertEquals("three\n", new String(received.data(), StandardCharsets.US_ASCII));
            assertEquals(3, received.fds().length);
            for (int i = 0; i < 3; i++) {
                assertEquals(1, os.write(received.fds()[i], new byte[] {(byte) i}, 0, 1));
                byte[] buffer = new byte[4];
                assertEquals(1, os.read(others[i][1], buffer));
                assertEquals(i, buffer[0], "descriptor " + i + " arrived in its place");
                os.close(received.fds()[i]);
            }
        } finally {
            os.close(pair[0]);
            os.close(pair[1]);
            for (int[] other : others) {
                os.close(other[0]);
                os.close(other[1]);
            }
        }
    }

    @Test
    void listensOnAKernelChosenPortAndNamesTheAddressWhenTaken() throws IOException {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
        int fd = os.listenTcp(any, false, 511);
        try {
            InetSocketAddress bound = os.localAddress(fd);
            assertNotEquals(0, bound.getPort());
            try (Socket client = new Socket(bound.getAddress(), bound.getPort())) {
                int accepted = awaitAccept(fd);
                os.close(accepted);
            }
            OsException taken = assertThrows(OsException.class, () -> os.listenTcp(bound, false, 16));
            assertEquals("bind 127.0.0.1:" + bound.getPort() + " failed: Address already in use (98)", taken.getMessage());
            assertEquals("bind", taken.call());
        } finally {
            os.close(fd);
        }
    }

    @Test
    void acceptedConnectionsHaveTheKeepaliveTimer() throws IOException {
        int fd = os.listenTcp(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), false, 16);
        try (Socket client = new Socket("127.0.0.1", os.localAddress(fd).getPort())) {
            // /proc/net/tcp: the server's end of the connection (local port the listener's, remote the client's) and its timer
            String local = String.format(":%04X", os.localAddress(fd).getPort());
            String remote = String.format(":%04X", client.getLocalPort());
            String entry = Files.readAllLines(Path.of("/proc/net/tcp")).stream().map(String::trim)
                    .filter(line -> line.split(" +")[1].endsWith(local) && line.split(" +")[2].endsWith(remote))
                    .findFirst().orElseThrow(() -> new AssertionError("no server end of the connection in /proc/net/tcp"));
            assertTrue(entry.split(" +")[5].startsWith("02:"), "timer 2 (keepalive) on the accepted socket: " + entry);
        } finally {
            os.close(fd);
        }
    }

    @Test
    void reusePortListenersShareAPort() throws IOException {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
        int first = os.listenTcp(any, true, 16);
        int second = os.listenTcp(os.localAddress(first), true, 16);
        assertEquals(os.localAddress(first), os.localAddress(second));
        os.close(first);
        os.close(second);
    }

    @Test
    void listensOnIpv6Loopback() throws IOException {
        int fd = os.listenTcp(new InetSocketAddress(InetAddress.getByName("::1"), 0), false, 16);
        assertEquals(InetAddress.getByName("::1"), os.localAddress(fd).getAddress());
        os.close(fd);
    }

    private int awaitAccept(int listener) {
        boolean[] ready = new boolean[1];
        os.poll(new int[] {listener}, ready, 5000);
        assertTrue(ready[0], "listener readable");
        int fd = os.accept(listener);
        assertTrue(fd >= 0);
        return fd;
    }

    @Test
    void spawnsWithOnlyThePassedDescriptorsAndReaps(@TempDir Path dir) throws Exception {
        int[] pair = os.socketPair();
        Path out = dir.resolve("out");
        int pid = os.spawn(new SpawnRequest("/bin/sh", List.of("drover-test-child", "-c", "ls /proc/self/fd; echo $FOO; exit 7"),
                Map.of("FOO", "bar", "PATH", "/usr/bin:/bin"), List.of(pair[1]), out, false));
        os.close(pair[1]);
        Optional<ExitStatus> status = awaitExit(pid);
        assertEquals(new ExitStatus(7, 0), status.orElseThrow());
        List<String> lines = Files.readAllLines(out);
        // 0, 1, 2, the passed socket as 3, and the fd ls itself opens for /proc/self/fd.
        assertEquals(List.of("0", "1", "2", "3", "4", "bar"), lines);
        os.close(pair[0]);
    }

    @Test
    void reportsKillingSignal() throws Exception {
        int pid = os.spawn(new SpawnRequest("/bin/sleep", List.of("sleep", "30"), Map.of(), List.of(), null, false));
        assertTrue(os.isAlive(pid));
        assertTrue(os.kill(pid, Signals.number("KILL")));
        ExitStatus status = awaitExit(pid).orElseThrow();
        assertEquals("9 (SIGKILL)", status.toString());
        assertFalse(os.isAlive(pid));
        assertFalse(os.kill(pid, 0));
    }

    private Optional<ExitStatus> awaitExit(int pid) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            Optional<ExitStatus> status = os.reap(pid);
            if (status.isPresent()) {
                return status;
            }
            Thread.sleep(10);
        }
        return Optional.empty();
    }

    @Test
    void lockIsExclusiveAcrossDescriptions(@TempDir Path dir) {
        Path lock = dir.resolve("app.pid.lock");
        int held = os.tryLock(lock);
        assertTrue(held >= 0);
        assertEquals(-1, os.tryLock(lock));
        os.close(held);
        int again = os.tryLock(lock);
        assertTrue(again >= 0);
        os.close(again);
    }

    @Test
    void theLockHolderIsFoundInTheKernelsTable(@TempDir Path dir) throws IOException {
        Path lock = dir.resolve("app.pid.lock");
        assertEquals(Optional.empty(), os.lockHolder(lock), "no file");
        int held = os.tryLock(lock);
        try {
            assertEquals(Optional.of((int) ProcessHandle.current().pid()), os.lockHolder(lock));
            assertEquals(Optional.of((int) ProcessHandle.current().pid()), os.lockHolder(dir.resolve(".").resolve("app.pid.lock")));
        } finally {
            os.close(held);
        }
        assertEquals(Optional.empty(), os.lockHolder(lock), "let go");
        Files.writeString(dir.resolve("other"), "");
        assertEquals(Optional.empty(), os.lockHolder(dir.resolve("other")), "never locked");
    }

    @Test
    void unixSocketsWithLongPathsAndPeerCredentials(@TempDir Path dir) throws IOException {
        Path deep = Files.createDirectories(dir.resolve("a".repeat(60)).resolve("b".repeat(60)));
        Path socket = deep.resolve("app.pid.sock");
        int listener = os.listenUnix(socket, 8);
        try {
            assertTrue(Files.exists(socket));
            int client = os.connectUnix(socket);
            int server = awaitAccept(listener);
            assertEquals(os.geteuid(), os.peerUid(server));
            os.close(client);
            os.close(server);
        } finally {
            os.close(listener);
        }
    }

    /** A file name too long even through /proc/self/fd is refused naming it, and what to shorten. */
    @Test
    void aSocketFileNameTooLongForSunPathIsNamed(@TempDir Path dir) {
        Path socket = dir.resolve("s".repeat(100) + ".sock");
        OsException refused = assertThrows(OsException.class, () -> os.listenUnix(socket, 8));
        assertTrue(refused.getMessage().contains("socket file name " + socket.getFileName() + " too long for sun_path")
                && refused.getMessage().contains("give the socket (a unix:// listen address, or the pid file's .sock) a shorter file name"),
                refused.getMessage());
    }

    @Test
    void resolvesUsers() {
        assertEquals(0, os.user("root").orElseThrow().uid());
        assertTrue(os.user("no-such-user-drover").isEmpty());
        assertEquals(new UserIds("nobody", 65534, 65534), os.user("nobody").orElseThrow());
        assertEquals(0, os.group("root").orElseThrow());
        assertTrue(os.group("no-such-group-drover").isEmpty());
    }

    @Test
    void setsThisProcessesTitle() throws Exception {
        String before = os.commandLine(os.getpid()).orElseThrow();
        assertTrue(before.length() > 20, before);
        assertTrue(os.setProcessTitle("drover: test title"));
        assertEquals("drover: test title", os.commandLine(os.getpid()).orElseThrow());
        assertEquals("drover: test ti", Files.readString(Path.of("/proc/self/comm")).trim());
    }

    @Test
    void exitStatusDecoding() {
        assertEquals(new ExitStatus(250, 0), ExitStatus.fromWaitStatus(250 << 8));
        assertEquals(new ExitStatus(-1, 15), ExitStatus.fromWaitStatus(15));
        assertEquals("15 (SIGTERM)", ExitStatus.fromWaitStatus(15).toString());
        assertArrayEquals(new int[] {9}, new int[] {ExitStatus.fromWaitStatus(9).number()});
    }
}
