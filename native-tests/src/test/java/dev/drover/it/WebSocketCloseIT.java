package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.it.apps.ProtocolsApp;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** RFC 6455 5.5.1: each side of a WebSocket sends one close frame, whichever side closes first. */
@Timeout(120)
class WebSocketCloseIT {
    /**
     * A stop does not wait for a 101 queued behind more than a client reads (onWebSocketConnect wrote
     * 16 MiB with sendRaw): the connection is closed after the stop's grace, as an open one is after
     * its close frame's wait, before onWorkerStop; it was closed only as the stop ended (the worker
     * SIGKILLed when that took past stopTimeout).
     */
    @Test
    void aStopDoesNotWaitForA101QueuedBehindWhatTheClientDoesNotRead(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, ProtocolsApp.class, "-Dapp.dir=" + dir)) {
            app.start();
            int port = app.port("ws");
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.getOutputStream().write(WebSocketWire.handshake(port, "/flood"));
                Await.until("the flood waits in the worker's send queue", Duration.ofSeconds(20), () -> {
                    for (JsonNode connection : app.connections().get("connections")) {
                        if (connection.get("protocol").asText().equals("websocket") && connection.get("send_q").asLong() > 0) {
                            return true;
                        }
                    }
                    return false;
                });
                App.Result stop = app.run("stop");
                assertEquals(0, stop.code(), stop.all());
                assertFalse(app.log().contains("SIGKILL"), app.log());
                List<String> marks = App.markers(dir, "ws-");
                assertEquals(2, marks.size(), marks.toString());
                long closed = Long.parseLong(marks.stream().filter(m -> m.startsWith("ws-closed-")).findFirst().orElseThrow().substring(10));
                long stopped = Long.parseLong(marks.stream().filter(m -> m.startsWith("ws-stopped-")).findFirst().orElseThrow().substring(11));
                assertTrue(closed < stopped, "the connection closed before onWorkerStop: " + marks);
            }
        }
    }

    @Test
    void theClientsCloseIsAnsweredOnceAndTheStopsIsNotAnsweredBack(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, ProtocolsApp.class)) {
            app.start();
            int port = app.port("ws");
            try (Socket socket = WebSocketWire.open(port)) {
                socket.getOutputStream().write(WebSocketWire.masked(0x8, WebSocketWire.closePayload(4002, "done")));
                assertEquals("[1:hello / -, close 4002]", WebSocketWire.rest(socket).toString(), "the greeting, then the close answered with its code");
            }
            try (Socket socket = WebSocketWire.open(port)) {
                InputStream in = socket.getInputStream();
                byte[] greeting = in.readNBytes(2 + "hello / -".length());
                assertEquals("[1:hello / -]", WebSocketWire.frames(greeting).toString());
                Process stop = app.launch("stop");
                byte[] goingAway = in.readNBytes(2 + 2 + "going away".length()); // the header, the code, the reason
                assertEquals("[close 1001]", WebSocketWire.frames(goingAway).toString(), "the stop's close frame");
                socket.getOutputStream().write(WebSocketWire.masked(0x8, WebSocketWire.closePayload(1001, "")));
                assertEquals(List.of(), WebSocketWire.rest(socket), "nothing after the server's close frame, its answer included");
                assertTrue(stop.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "stop returned");
                assertEquals(0, stop.exitValue(), java.nio.file.Files.readString(dir.resolve("foreground.err")));
            }
        }
    }

    /**
     * stop -g keeps an open WebSocket until its client closes, as Workerman's does (with no worker
     * after it, a 1001 would send the client to a closed port): the listening socket is closed at
     * once, and the connection still echoes.
     */
    @Test
    void aGracefulStopKeepsAWebSocketUntilItsClientCloses(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, ProtocolsApp.class)) {
            app.start();
            int port = app.port("ws");
            try (Socket socket = WebSocketWire.open(port)) {
                InputStream in = socket.getInputStream();
                assertEquals("[1:hello / -]", WebSocketWire.frames(in.readNBytes(2 + "hello / -".length())).toString());
                Process stop = app.launch("stop", "-g");
                Await.until("the listening socket is closed", java.time.Duration.ofSeconds(30), () -> refused(port));
                socket.getOutputStream().write(WebSocketWire.masked(0x1, "still here".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                assertEquals("1:echo: still here", WebSocketWire.next(in).toString(), "served after the stop began");
                assertTrue(stop.isAlive(), "the stop waits for the connection");
                socket.getOutputStream().write(WebSocketWire.masked(0x8, WebSocketWire.closePayload(1000, "")));
                assertEquals("[close 1000]", WebSocketWire.rest(socket).toString(), "its close answered, and the connection closed");
                assertTrue(stop.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "stop returned once the client closed");
                assertEquals(0, stop.exitValue());
            }
        }
    }

    private static boolean refused(int port) {
        try (Socket probe = new Socket("127.0.0.1", port)) {
            return false;
        } catch (java.io.IOException refused) {
            return true;
        }
    }
}
