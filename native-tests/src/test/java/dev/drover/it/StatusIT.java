package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.drover.it.apps.PidApp;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4, acceptance 8 and 11: status (table and JSON against its schema) and connections. */
@Timeout(120)
class StatusIT {
    private static final Path SCHEMA = Path.of(System.getProperty("drover.test.classes")).resolve("../../../docs/status.schema.json");

    @Test
    void statusAndConnectionsReportWhatAClientDid(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            app.start();
            int port = app.port();
            try (Socket client = new Socket("127.0.0.1", port)) {
                OutputStream out = client.getOutputStream();
                for (int i = 0; i < 7; i++) {
                    out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    LoadClients.Answer.read(client.getInputStream());
                }
                JsonNode status = app.status();
                assertValid(status);
                JsonNode process = status.get("processes").get(0);
                assertEquals(1, process.get("connections").asInt(), status.toPrettyString());
                assertEquals(7, process.get("total_request").asInt(), status.toPrettyString());
                assertEquals("idle", process.get("status").asText());
                assertTrue(process.get("memory_bytes").asLong() > 1_000_000);
                assertEquals(7, status.get("summary").get("total_request").asInt());

                App.Result table = app.run("status");
                assertEquals(0, table.code(), table.all());
                for (String column : new String[] {"GLOBAL STATUS", "drover version", "start time", "run ", "load average", "workers",
                    "processes", "exit_status", "exit_count", "id", "pid", "memory", "listening", "worker_name", "connections", "send_fail",
                    "timers", "total_request", "qps", "status", "[idle]", "Summary"}) {
                    assertTrue(table.out().contains(column), "status shows " + column + ":\n" + table.out());
                }

                App.Result connections = app.run("connections", "--json");
                assertEquals(0, connections.code(), connections.all());
                JsonNode list = new ObjectMapper().readTree(connections.out()).get("connections");
                assertEquals(1, list.size(), connections.out());
                JsonNode c = list.get(0);
                assertEquals("127.0.0.1:" + port, c.get("local").asText());
                assertEquals("127.0.0.1:" + client.getLocalPort(), c.get("remote").asText());
                assertEquals("http", c.get("protocol").asText());
                assertEquals("tcp", c.get("transport").asText());
                assertTrue(c.get("ipv4").asBoolean() && !c.get("ipv6").asBoolean(), c.toString());
                assertTrue(c.get("bytes_read").asLong() >= 7 * 25, c.toString());
                assertTrue(c.get("bytes_written").asLong() >= 7 * "HTTP/1.1 200 OK\r\n\r\n".length(), c.toString());
                App.Result connectionsTable = app.run("connections");
                assertTrue(connectionsTable.out().contains("127.0.0.1:" + client.getLocalPort()), connectionsTable.out());
                assertTrue(connectionsTable.out().contains("Foreign Address"), connectionsTable.out());
            }
        }
    }

    /** A callback that runs inside another (onError, for a send dropped) leaves its worker busy until the outer one returns. */
    @Test
    void aWorkerStaysBusyAfterACallbackInsideItsCallback(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.dir=" + dir)) {
            app.start();
            Async.call(() -> Http.tryGet(app.port(), "/slow?nested=1&ms=8000"));
            ReloadIT.awaitSlowRequest(dir);
            assertEquals(1, App.markers(dir, "nested-error-").size(), "the onError inside it ran");
            assertEquals("busy", app.status().get("processes").get(0).get("status").asText());
        }
    }

    /** A worker that does not answer is named, not left out unsaid: the list looked whole. */
    @Test
    void connectionsNamesAWorkerThatDidNotAnswer(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=2")) {
            app.start();
            long stopped = app.workers().get(1).pid();
            Processes.kill(stopped, "STOP");
            try {
                App.Result json = app.run("connections", "--json");
                assertEquals(0, json.code(), json.all());
                JsonNode unanswered = new ObjectMapper().readTree(json.out()).get("unanswered");
                assertEquals(1, unanswered.size(), json.out());
                assertEquals(stopped, unanswered.get(0).get("pid").asLong(), json.out());
                App.Result table = app.run("connections");
                assertTrue(table.out().contains("worker[web:" + stopped + "] did not answer in time")
                        && table.out().contains("0 connections listed; 1 worker did not answer"), table.out());
            } finally {
                Processes.kill(stopped, "CONT");
            }
        }
    }

    static void assertValid(JsonNode status) throws java.io.IOException {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(new ObjectMapper().readTree(Files.readString(SCHEMA)));
        Set<ValidationMessage> errors = schema.validate(status);
        assertTrue(errors.isEmpty(), "status --json matches docs/status.schema.json: " + errors + "\n" + status.toPrettyString());
    }
}
