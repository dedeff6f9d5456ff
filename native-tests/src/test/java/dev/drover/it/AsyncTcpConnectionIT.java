package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.ClientStatesApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * AsyncTcpConnection keeps Workerman's states: what is sent before the connection is up is queued
 * within maxSendBufferSize (for ws://, until the handshake is done); a close, even while it
 * connects, ends it with onClose; sends after a close fail and never reach a later connection.
 */
@Timeout(120)
class AsyncTcpConnectionIT {

    @Test
    void sendsAndClosesFollowTheConnectionsState(@TempDir Path dir) {
        int[] ports = {Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free()};
        try (App app = new App(dir, ClientStatesApp.class, "-Dapp.dir=" + dir, "-Dapp.quiet=" + ports[0], "-Dapp.echo=" + ports[1],
                "-Dapp.ws=" + ports[2], "-Dapp.refused=" + ports[3], "-Dapp.http=" + ports[4], "-Dapp.hangup=" + ports[5],
                "-Dapp.mute=" + ports[6], "-Dapp.huge=" + ports[7], "-Dapp.wsecho=" + ports[8])) {
            app.start();
            Path report = dir.resolve("report.txt");
            Await.until("every scenario ended", Duration.ofSeconds(30), () -> {
                String text = TextFile.read(report);
                return text.contains("refused onClose") && text.contains("abandoned done") && text.contains("replaced heard")
                        && text.contains("ws server heard") && text.contains("drained heard") && text.contains("roomy heard")
                        && text.contains("midway heard") && text.contains("reopened heard") && text.contains("ws404 onClose")
                        && text.contains("ws404quiet onClose") && text.contains("tagged heard null") && text.contains("wshangup onClose")
                        && text.contains("wsmute onClose") && text.contains("pausedearly heard") && text.contains("many heard")
                        && text.contains("loudless closed") && text.contains("noport")
                        && text.contains("toobig onClose") && text.contains("pausedws heard");
            }, () -> TextFile.read(report) + app.log());
            List<String> lines = TextFile.read(report).lines().toList();

            assertEquals(List.of("refused onBufferFull", "refused send1=QUEUED", "refused onError 2 send buffer full and drop package",
                    "refused send2=FAILED", "refused onError 1", "refused onClose, then send=FAILED"),
                    scenario(lines, "refused"));
            assertEquals(List.of("abandoned onClose", "abandoned send=FAILED open=false", "abandoned done"), scenario(lines, "abandoned"));
            assertFalse(lines.stream().anyMatch(line -> line.startsWith("quiet server heard")), "nothing reached the server: " + lines);
            assertEquals(List.of("replaced send after close=FAILED", "replaced send after reconnect=QUEUED, same id=true"),
                    scenario(lines, "replaced send"));
            List<String> heard = scenario(lines, "replaced heard");
            assertEquals(1, heard.size(), lines.toString());
            assertTrue(heard.get(0).startsWith("replaced heard echo: fresh on connection "), heard.get(0));
            // The queue filled; flushed on the connect it filled the connection's own buffer (10 bytes of limit, 11 on the wire):
            // still full, told once; the drain is that buffer's, when it drained: never one while it is full, which would let a
            // pipe lose data, and the two alternate.
            assertEquals(List.of("drained onBufferFull", "drained onBufferDrain", "drained heard echo: 0123456789"),
                    scenario(lines, "drained"));
            assertEquals(List.of("roomy onBufferFull", "roomy onBufferDrain", "roomy heard echo: 0123456789"), scenario(lines, "roomy"),
                    "the queue's own drain, when the connection's buffer took it all");
            assertEquals(List.of("ws send during the handshake=QUEUED open=false", "ws onConnect", "ws server heard during"),
                    scenario(lines, "ws "));
            // a reconnect while the first connect was under way: that one is dropped, not announced
            assertEquals(List.of("midway onConnect send=QUEUED", "midway heard echo: hi"), scenario(lines, "midway"));
            assertEquals(List.of("reopened onConnect 1", "reopened onConnect 2", "reopened heard echo: again"), scenario(lines, "reopened"),
                    "connect() while the close is under way opens anew; the closed one's onClose is not this connection's");
            assertEquals(List.of("ws404 onError 1 connect 127.0.0.1:" + ports[4] + " failed: Invalid handshake response getStatus: 404 Not Found",
                    "ws404 onClose"), scenario(lines, "ws404 "));
            assertTrue(app.log().contains("AsyncTcpConnection to ws://127.0.0.1:" + ports[4] + "/quiet: its WebSocket handshake failed: "
                    + "Invalid handshake response getStatus: 404 Not Found"), app.log());
            assertEquals(List.of("wshangup onError 1 connect 127.0.0.1:" + ports[5] + " failed: the server closed the connection before"
                    + " answering the WebSocket handshake", "wshangup onClose"), scenario(lines, "wshangup "));
            assertEquals(List.of("wsmute onError 1 connect 127.0.0.1:" + ports[6] + " failed: the server did not answer the WebSocket"
                    + " handshake within 10 s", "wsmute onClose"), scenario(lines, "wsmute "));
            assertEquals(List.of("pausedearly resumed", "pausedearly heard echo: early"), scenario(lines, "pausedearly"),
                    "a pauseRecv() before the connect holds what the server sends until resumeRecv()");
            assertEquals(List.of("pausedws resumed", "pausedws heard echo: early"), scenario(lines, "pausedws"),
                    "ws:// too, once its handshake was read");
            assertEquals(List.of("many sends QQQQQQQQQQQQQ", "many heard 13, the last echo: line-12"), scenario(lines, "many"),
                    "every send the queue took went out: none dropped as it was flushed");
            String refusedLog = "AsyncTcpConnection to text://127.0.0.1:" + ports[3] + ": connect 127.0.0.1:" + ports[3] + " failed:"
                    + " Connection refused (111): nothing listens there";
            assertEquals(1, app.log().split(java.util.regex.Pattern.quote(refusedLog), -1).length - 1,
                    "twenty refused connects without onError, logged once in the minute: " + app.log());
            assertEquals(List.of("noport remote address 'text://127.0.0.1' needs a port from 1 to 65535, e.g. text://127.0.0.1:5678",
                    "noport remote address 'text://127.0.0.1:0' needs a port from 1 to 65535, e.g. text://127.0.0.1:5678"),
                    scenario(lines, "noport"));
            assertTrue(app.log().contains("AsyncTcpConnection to ws://127.0.0.1:" + ports[7] + "/: closed with 1009: the server sent a frame"
                    + " it refuses: Max frame length of 10485760 has been exceeded."), app.log());
            assertEquals(List.of("tagged heard T:echo: one", "tagged heard null"), scenario(lines, "tagged"),
                    "the Protocol saw what was put on the AsyncTcpConnection; encode's null sent nothing, decode's null reached onMessage");
        }
    }

    private static List<String> scenario(List<String> lines, String prefix) {
        return lines.stream().filter(line -> line.startsWith(prefix)).toList();
    }
}
