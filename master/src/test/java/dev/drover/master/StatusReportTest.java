package dev.drover.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
                        new StatusReport.Row(1, 0, "web", "http://0.0.0.0:8080", "respawning", 0, null, 0),
                        new StatusReport.Row(2, 202, "web", "http://0.0.0.0:8080", "spawned", 30L << 20, null, 0)));
        String table = String.join("\n", report.lines());
        assertTrue(table.matches("(?s).*\n0 +201 .*\\[idle]\n0 +200 .*\\[stopping]\n1 +- .*\\[respawning]\n2 +202 .*\\[starting]\n.*"), table);
    }

    /** A worker that did not answer in time shows N/A for what it did not tell, as in Workerman's table, not zeros. */
    @Test
    void aWorkerThatDidNotAnswerShowsNotApplicable() {
        StatusReport report = new StatusReport("App", 100, Instant.now(), new double[3], "running",
                List.of(new StatusReport.GroupRow("web", "http://0.0.0.0:8080", 2, Map.of())),
                List.of(new StatusReport.Row(0, 201, "web", "http://0.0.0.0:8080", "ready", 40L << 20, Map.of("busy", "0", "connections", "2"), 3),
                        new StatusReport.Row(1, 202, "web", "http://0.0.0.0:8080", "ready", 41L << 20, null, 0)));
        List<String> lines = report.lines();
        assertTrue(lines.get(lines.size() - 4).matches("0 +201 +40M .* web +2 +0 +0 +0 +3 +\\[idle]"), lines.get(lines.size() - 4));
        assertTrue(lines.get(lines.size() - 3).matches("1 +202 +41M .* web +N/A +N/A +N/A +N/A +N/A +\\[busy]"), lines.get(lines.size() - 3));
        assertTrue(report.json().contains("\"status\":\"busy\""), report.json());
    }

    /** A clock set back after the start reads as no time run, not as negative (the schema's minimum is 0). */
    @Test
    void aClockSetBackReadsAsNoTimeRun() {
        StatusReport report = new StatusReport("App", 100, Instant.now().plusSeconds(3600), new double[3], "running", List.of(), List.of());
        assertTrue(report.json().contains("\"run_seconds\":0,"), report.json());
        assertTrue(String.join("\n", report.lines()).contains("run 0 days 0 hours 0 minutes"), String.join("\n", report.lines()));
    }

    /** A counter that is not a number is refused before the report reads it: the master shows the worker as silent, and lives. */
    @Test
    void aCounterThatIsNotANumberIsRefused() {
        StatusReport.check(Map.of("busy", "0", "connections", "2"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> StatusReport.check(Map.of("connections", "2", "total_request", "")));
        assertEquals("total_request is , not a number", refused.getMessage());
    }

    /** connections: a row that is not a worker's adds nothing; a Unix socket's connection is neither IPv4 nor IPv6, as in Workerman. */
    @Test
    void connectionRowsAreReadWholeOrNotAtAll() {
        ConnectionsReport report = new ConnectionsReport();
        report.add(7, "web", "1\tunix\ttcp\t/run/app.sock\t-\t0\t0\t5\t9\tESTABLISHED\n"
                + "2\ttcp\thttp\t[::1]:80\t[::1]:5000\t0\t0\t5\t9\tESTABLISHED\n");
        assertThrows(IllegalArgumentException.class, () -> report.add(8, "web", "3\ttcp\thttp\t127.0.0.1:80\t127.0.0.1:5000\t0\t0\t5\t9\tESTABLISHED\n"
                + "4\tunix\ttcp\t/run/a\tb.sock\t-\t0\t0\t5\t9\tESTABLISHED\n"));
        String json = report.json();
        assertTrue(json.contains("\"id\":1,\"transport\":\"unix\",") && json.contains("\"ipv4\":false,\"ipv6\":false}"), json);
        assertTrue(json.contains("\"remote\":\"[::1]:5000\"") && json.contains("\"ipv4\":false,\"ipv6\":true}"), json);
        assertTrue(!json.contains("\"id\":3"), "the worker's first row went with its broken one: " + json);
    }
}
