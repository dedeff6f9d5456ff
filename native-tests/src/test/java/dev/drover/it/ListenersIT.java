package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.InnerListenApp;
import dev.drover.it.apps.PidApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 6 and 7: reusePort groups, and listen() inside onWorkerStart. */
@Timeout(120)
class ListenersIT {

    @Test
    void reusePortWorkersEachHoldTheirOwnListenerAndBothAnswer(@TempDir Path dir) {
        int port = Ports.free();
        try (App app = new App(dir, PidApp.class, "-Dapp.count=2", "-Dapp.reusePort=true", "-Dapp.listen=http://127.0.0.1:" + port)) {
            app.start();
            List<App.WorkerRow> workers = app.workers();
            Set<String> listening = Sockets.listeningInodes(port);
            assertEquals(2, listening.size(), "two listening sockets on port " + port);
            Set<String> first = intersect(Sockets.socketInodes(workers.get(0).pid()), listening);
            Set<String> second = intersect(Sockets.socketInodes(workers.get(1).pid()), listening);
            assertEquals(1, first.size(), "worker 0 holds one listener");
            assertEquals(1, second.size(), "worker 1 holds one listener");
            assertNotEquals(first, second, "each its own");
            assertTrue(intersect(Sockets.socketInodes(app.masterPid()), listening).isEmpty(), "the master holds none");

            Set<String> pids = new HashSet<>();
            Await.until("both workers answered", Duration.ofSeconds(30), () -> {
                String body = Http.tryGet(port, "/");
                if (body != null) {
                    pids.add(body.split(" ")[0]);
                }
                return pids.size() == 2;
            });
        }
    }

    private static Set<String> intersect(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return both;
    }

    @Test
    void listenInsideOnWorkerStartFailsInTheSecondProcessWithoutReusePort(@TempDir Path dir) throws IOException {
        int port = Ports.free();
        try (App app = new App(dir, InnerListenApp.class, "-Dapp.dir=" + dir, "-Dapp.port=" + port)) {
            app.start();
            Await.until("both workers tried to listen", Duration.ofSeconds(30), () -> markers(dir).size() == 2);
            List<String> markers = markers(dir);
            assertEquals(1, markers.stream().filter(m -> m.startsWith("listening-")).count(), markers.toString());
            String failed = markers.stream().filter(m -> m.startsWith("failed-")).findFirst().orElseThrow();
            String message = Files.readString(dir.resolve(failed));
            // Both sockets set SO_REUSEADDR, so the second bind succeeds when it comes before the first
            // socket's listen, and its own listen is what fails then.
            assertTrue(message.equals("bind 127.0.0.1:" + port + " failed: Address already in use (98)")
                    || message.equals("listen 127.0.0.1:" + port + " failed: Address already in use (98)"), message);
            assertTrue(TextClient.ask(port, "hi").endsWith(" hi"));
        }
    }

    @Test
    void anEscapingBindErrorFailsStartNamingTheAddress(@TempDir Path dir) {
        int port = Ports.free();
        try (App app = new App(dir, InnerListenApp.class, "-Dapp.dir=" + dir, "-Dapp.port=" + port, "-Dapp.rethrow=true")) {
            App.Result start = app.run("start", "-d");
            assertEquals(1, start.code(), start.all());
            assertTrue(start.err().contains("Address already in use") && start.err().contains("127.0.0.1:" + port), start.err());
            assertTrue(app.log().contains("exit with status 250"), app.log());
            assertTrue(app.log().contains("at dev.drover.it.apps.InnerListenApp"), "stack trace in the log: " + app.log());
            assertFalse(Files.exists(app.pidFile()), "nothing left running");
        }
    }

    /** A port that no socket listens on but a connection holds as its local end: said so, not "another process listens there". */
    @Test
    void aPortAConnectionHoldsIsToldApartFromOneAListenerHolds(@TempDir Path dir) throws Exception {
        try (java.net.ServerSocket target = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             java.net.Socket client = new java.net.Socket()) {
            client.bind(new java.net.InetSocketAddress("127.0.0.1", 0)); // a port from ip_local_port_range, as any connection's
            client.connect(target.getLocalSocketAddress());
            int port = client.getLocalPort();
            try (java.net.Socket accepted = target.accept();
                 App app = new App(dir, dev.drover.it.apps.PidApp.class, "-Dapp.count=1", "-Dapp.listen=http://127.0.0.1:" + port)) {
                App.Result start = app.run("start", "-d");
                assertEquals(1, start.code(), start.all());
                assertTrue(start.err().contains("failed: Address already in use (98); no socket listens on port " + port
                        + ", but one is bound to it, most likely a connection's own end (find it with: ss -tan 'sport = :" + port + "')"),
                        start.err());
            }
        }
    }

    /** Two groups of one application on one address: the message names the first group, not "another process". */
    @Test
    void twoGroupsOnOneAddressAreNamed(@TempDir Path dir) {
        int port = Ports.free();
        try (App app = new App(dir, dev.drover.it.apps.TwoGroupsApp.class, "-Dapp.samePort=" + port)) {
            App.Result start = app.run("start", "-d");
            assertEquals(1, start.code(), start.all());
            assertTrue(start.err().contains("worker chat (text://127.0.0.1:" + port + "): bind 127.0.0.1:" + port
                    + " failed: Address already in use (98); worker web of this application listens there already"), start.err());
        }
    }

    @Test
    void withReusePortBothProcessesListenAndAnswer(@TempDir Path dir) {
        int port = Ports.free();
        try (App app = new App(dir, InnerListenApp.class, "-Dapp.dir=" + dir, "-Dapp.port=" + port, "-Dapp.reusePort=true")) {
            app.start();
            Await.until("both workers listen", Duration.ofSeconds(30), () -> markers(dir).size() == 2);
            assertEquals(List.of("listening-0", "listening-1"), markers(dir));
            Set<String> pids = new HashSet<>();
            Await.until("both processes answered", Duration.ofSeconds(30), () -> {
                try {
                    pids.add(TextClient.ask(port, "hi").split(" ")[0]);
                } catch (IOException e) {
                    return false;
                }
                return pids.size() == 2;
            });
        }
    }

    private static List<String> markers(Path dir) {
        return App.markers(dir, "listening-", "failed-");
    }
}
