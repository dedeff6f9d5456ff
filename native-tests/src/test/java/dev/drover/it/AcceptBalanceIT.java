package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.PidApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two workers on one shared socket: a burst of connections goes to the worker holding fewer, and a
 * frozen sibling keeps no connection waiting. Alone, so the workers get their cores when they
 * are woken (the balance leaves connections to a sibling that is running).
 */
@Tag("alone")
@Timeout(120)
class AcceptBalanceIT {
    private static final int BURST = 40;
    /** The connections the worker holding fewer keeps before the second burst. */
    private static final int KEPT = 10;

    @Test
    void aBurstGoesToTheWorkerHoldingFewerAndAFrozenOneHoldsNothingUp(@TempDir Path dir) {
        int port = Ports.free();
        List<Client> clients = new ArrayList<>();
        try (App app = new App(dir, PidApp.class, "-Dapp.count=2", "-Dapp.listen=http://127.0.0.1:" + port)) {
            app.start();
            int fewer = aBurstGoesToTheWorkerHoldingFewer(app, port, clients);

            long frozen = app.workers().stream().filter(w -> w.id() == fewer).findFirst().orElseThrow().pid();
            Processes.kill(frozen, "STOP");
            try {
                Await.until("every thread of worker " + fewer + " (pid " + frozen + ") stopped", Duration.ofSeconds(10),
                        () -> Processes.stopped(frozen));
                List<Client> late = connect(port, BURST, clients);
                assertEquals(0, held(late, fewer), "worker " + fewer + " holds fewer but is frozen: its sibling took them all");
            } finally {
                Processes.kill(frozen, "CONT");
            }
        } finally {
            clients.forEach(Client::close);
        }
    }

    /**
     * Workers {@code scale} adds to a group started with one share its balance page: each maps it
     * when its acceptor first runs, and none finds itself without a slot. (Their turns are the test
     * above; a burst here would measure their JVMs' warm-up as much.)
     */
    @Test
    void workersAddedByScaleShareTheBalancePage(@TempDir Path dir) throws IOException {
        int port = Ports.free();
        List<Client> clients = new ArrayList<>();
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.listen=http://127.0.0.1:" + port)) {
            app.start();
            App.Result scale = app.run("scale", "web", "3");
            assertEquals(0, scale.code(), scale.all());
            Await.until("workers 0, 1 and 2 ready", Duration.ofSeconds(30), () -> app.workers().stream()
                    .filter(w -> w.pid() > 0 && "ready".equals(w.state())).count() == 3);
            List<Client> burst = connect(port, 3 * BURST, clients);
            for (App.WorkerRow worker : app.workers()) {
                assertTrue(held(burst, worker.id()) > 0, "worker " + worker.id() + " took none of " + burst.size());
                String maps = Files.readString(Path.of("/proc/" + worker.pid() + "/maps"));
                assertTrue(maps.contains("drover-balance"), "worker " + worker.id() + " (pid " + worker.pid() + ") has no balance page mapped");
            }
            assertFalse(app.log().contains("without regard to its siblings'"), app.log());
        } finally {
            clients.forEach(Client::close);
        }
    }

    /**
     * Opens two bursts: after the first, the worker holding fewer keeps {@link #KEPT} of its
     * connections, and of the second it takes most. Returns that worker's id.
     */
    private static int aBurstGoesToTheWorkerHoldingFewer(App app, int port, List<Client> clients) {
        List<Client> first = connect(port, 2 * BURST, clients);
        int fewer = held(first, 0) <= held(first, 1) ? 0 : 1;
        long other = held(first, 1 - fewer);
        assertTrue(other >= BURST, "the other worker holds at least half");
        List<Client> theirs = first.stream().filter(c -> c.worker == fewer).toList();
        theirs.stream().skip(KEPT).forEach(Client::close);
        int left = Math.min(theirs.size(), KEPT);
        Await.until("worker " + fewer + " counted its closed connections out", Duration.ofSeconds(30),
                () -> connectionsOf(app, fewer) == left);

        List<Client> burst = connect(port, BURST, clients);
        long taken = held(burst, fewer);
        assertTrue(taken >= 2 * BURST / 3, "worker " + fewer + " held " + left + " connections, its sibling " + other
                + ", and it took " + taken + " of the next " + BURST + " (its sibling leaves them to it)");
        return fewer;
    }

    /** Opens {@code count} connections at once, then asks on each which worker holds it. */
    private static List<Client> connect(int port, int count, List<Client> all) {
        List<Client> opened = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Client client = new Client(port);
            opened.add(client);
            all.add(client);
        }
        opened.forEach(Client::askWorker);
        return opened;
    }

    private static long held(List<Client> clients, int worker) {
        return clients.stream().filter(c -> c.worker == worker).count();
    }

    private static int connectionsOf(App app, int worker) {
        for (var process : app.status().get("processes")) {
            if (process.get("id").asInt() == worker) {
                return process.get("connections").asInt();
            }
        }
        throw new AssertionError("no worker " + worker + " in status");
    }

    /** A keep-alive HTTP connection to PidApp, which answers "pid id": the worker id that holds it. */
    private static final class Client {
        private final KeepAlive connection;
        private int worker = -1;

        Client(int port) {
            connection = new KeepAlive(port);
        }

        void askWorker() {
            worker = Integer.parseInt(connection.get("/").body().split(" ")[1]);
        }

        void close() {
            connection.close();
        }
    }
}
