package dev.drover.master;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status table's last column: what each process is doing, the one a reload replaces too. */
class StatusReportTest {
    @Test
    void theWorkerAReloadReplacesIsShownStoppingBesideItsReplacement() {
        Map<String, String> idle = Map.of("busy", "0", "connections", "2");
        StatusReport report = new StatusReport("App", 100, Instant.now(), new double[3], "reloading",
                List.of(new StatusReport.GroupRow("web", "http://0.0.0.0:8080", 1, Map.of())),
                List.of(new StatusReport.Row(0, 201, "web", "http://0.0.0.0:8080", "ready", 40L << 20, idle, 0),
                        new StatusReport.Row(0, 200, "web", "http://0.0.0.0:8080", "stopping", 41L << 20, idle, 0),
                        new StatusReport.Row(1, 0, "web", "http://0.0.0.0:8080", "respawning", 0, null, 0)));
        String table = String.join("\n", report.lines());
        assertTrue(table.matches("(?s).*\n0 +201 .*\\[idle]\n0 +200 .*\\[stopping]\n1 +- .*\\[respawning]\n.*"), table);
    }
}
