package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.TwoGroupsApp;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 8: a worker inherits stdio, its control socket and its group's listeners, nothing else. */
@Timeout(120)
class DescriptorsIT {

    @Test
    void workersInheritOnlyTheirOwnDescriptors(@TempDir Path dir) {
        try (App app = new App(dir, TwoGroupsApp.class)) {
            app.start();
            List<App.WorkerRow> workers = app.workers();
            assertEquals(3, workers.size());
            Map<String, Integer> portOf = workers.stream().collect(Collectors.toMap(App.WorkerRow::name,
                    w -> Integer.parseInt(w.listen().substring(w.listen().lastIndexOf(':') + 1)), (a, b) -> a));
            long master = app.masterPid();
            Set<String> masterSockets = Sockets.socketInodes(master);
            List<String> masterFds = Processes.fdTargets(master);
            assertTrue(masterFds.stream().anyMatch(t -> t.endsWith(".log")), "the master holds its log: " + masterFds);

            for (App.WorkerRow worker : workers) {
                Set<String> ownListener = Sockets.listeningInodes(portOf.get(worker.name()));
                assertEquals(1, ownListener.size());
                Set<String> shared = new HashSet<>(Sockets.socketInodes(worker.pid()));
                shared.retainAll(masterSockets);
                assertEquals(ownListener, shared, "worker " + worker + " shares with the master only its group's listener");

                for (App.WorkerRow other : workers) {
                    if (other.pid() != worker.pid()) {
                        Set<String> common = new HashSet<>(Sockets.socketInodes(worker.pid()));
                        common.retainAll(Sockets.socketInodes(other.pid()));
                        common.removeAll(ownListener);
                        assertTrue(common.isEmpty(), worker + " shares no socket with " + other + ": " + common);
                    }
                }
                List<String> fds = Processes.fdTargets(worker.pid());
                for (String target : fds) {
                    assertTrue(!target.endsWith(".pid") && !target.endsWith(".lock") && !target.endsWith(".log") && !target.endsWith(".sock"),
                            worker + " holds no pid, lock, log or socket file: " + target);
                }
                assertTrue(fds.stream().anyMatch(t -> t.startsWith("3 -> socket:")), "fd 3 is the control socket: " + fds);
            }
        }
    }
}
