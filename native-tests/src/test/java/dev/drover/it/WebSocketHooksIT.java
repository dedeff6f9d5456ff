package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.WebSocketHooksApp;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * onWebSocketPing, onWebSocketPong and onWebSocketClose, as Workerman's: with a ping hook the
 * application answers pings (send answers with a pong there); a pong reaches its hook; a client's
 * close frame reaches its hook, which may still send. WebSocketPing and WebSocketPong send control
 * frames from anywhere (WebSocketHooksApp).
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketHooksIT {
    private static final int PING = 0x9;
    private static final int PONG = 0xA;
    private static final int CLOSE = 0x8;
    private App app;
    private int port;

    private Path dir;

    @BeforeAll
    void start(@TempDir Path dir) {
        this.dir = dir;
        app = new App(dir, WebSocketHooksApp.class, "-Dapp.dir=" + dir);
        app.start();
        port = app.port("hooks");
    }

    @AfterAll
    void stop() {
        app.close();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Socket socket, int opcode, String payload) throws Exception {
        socket.getOutputStream().write(WebSocketWire.masked(opcode, utf8(payload)));
    }

    private static byte[] concat(byte[]... frames) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] frame : frames) {
            all.writeBytes(frame);
        }
        return all.toByteArray();
    }

    private static String next(InputStream in) throws Exception {
        return WebSocketWire.next(in).toString();
    }

    @Test
    void thePingHookAnswersPingsWithSendAsAPongOrNotAtAll() throws Exception {
        try (Socket socket = WebSocketWire.open(port)) {
            InputStream in = socket.getInputStream();
            write(socket, PING, "hi");
            assertEquals(PONG + ":hi", next(in), "send(payload) in onWebSocketPing answers with a pong, as in Workerman");
            write(socket, PING, "typed");
            assertEquals(PONG + ":typed typed", next(in));
            write(socket, PING, "silent");
            write(socket, 1, "after silence");
            assertEquals("1:echo: after silence", next(in), "no pong when the hook sends none");
            write(socket, PING, "");
            assertEquals(PONG + ":", next(in), "an empty ping");
            write(socket, PING, "long");
            String refused = next(in);
            assertTrue(refused.startsWith("1:in onWebSocketPing, send answers the ping with a pong, which carries at most 125 bytes"), refused);
        }
    }

    /**
     * A hook that throws ends the worker with 250, as Workerman's: what was sent before it goes out,
     * and onClose runs for the connection, as Workerman's stopAll closes each; the master starts
     * another worker.
     */
    @Test
    void aHookThatThrowsLetsWhatWasSentGoOutAndRunsOnClose() throws Exception {
        long pid = app.workers().get(0).pid();
        try (Socket socket = WebSocketWire.open(port)) {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(WebSocketWire.masked(1, utf8("hi")));
            both.writeBytes(WebSocketWire.masked(PING, utf8("throw")));
            socket.getOutputStream().write(both.toByteArray());
            assertEquals("[1:echo: hi]", WebSocketWire.rest(socket).toString(), "the echo, then the end");
        }
        Await.until("onClose left its mark", Duration.ofSeconds(20), () -> !App.markers(dir, "closed-").isEmpty());
        Await.until("a new worker", Duration.ofSeconds(30), () -> {
            App.WorkerRow row = app.workers().get(0);
            return row.pid() > 0 && row.pid() != pid && row.state().equals("ready");
        }, app::log);
        assertTrue(app.log().contains("exception in onWebSocketPing"), app.log());
        try (Socket socket = WebSocketWire.open(port)) {
            write(socket, PING, "again");
            assertEquals(PONG + ":again", next(socket.getInputStream()), "the new worker answers");
        }
    }

    @Test
    void pingsWaitInOrderWithTheMessagesWhileReceivingIsPaused() throws Exception {
        try (Socket socket = WebSocketWire.open(port)) {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(WebSocketWire.masked(1, utf8("pause")));
            both.writeBytes(WebSocketWire.masked(PING, utf8("held")));
            socket.getOutputStream().write(both.toByteArray());
            InputStream in = socket.getInputStream();
            assertEquals("1:resuming", next(in));
            assertEquals(PONG + ":held", next(in));
        }
    }

    @Test
    void aWebSocketPingGoesOutAndThePongReachesItsHook() throws Exception {
        try (Socket socket = WebSocketWire.open(port)) {
            InputStream in = socket.getInputStream();
            write(socket, 1, "ping me");
            assertEquals(PING + ":are you there", next(in));
            write(socket, PONG, "are you there");
            assertEquals("1:pong are you there", next(in));
            write(socket, PONG, "unasked");
            assertEquals("1:pong unasked", next(in), "a pong nobody asked for, a client's heartbeat");
            write(socket, 1, "ping too big");
            String refused = next(in);
            assertTrue(refused.contains("0 to 125 bytes") && refused.contains("not 126"), refused);
        }
    }

    /**
     * An AsyncTcpConnection to ws:// pings (masked, as a client must), takes pings and pongs in its
     * own hooks, and the server's close frame in its onWebSocketClose, then its onClose.
     */
    @Test
    void aWsClientConnectionPingsAndHasHooksOfItsOwn() throws Exception {
        awaitReport("dial", "dial report?", "1:server ping from a client; client pong from a client; client ping to the client; "
                + "client heard pong to the client; client closed 4005 done, gone");
    }

    /** A ws:// client's close() sends a close frame (1000), as an accepted connection's does: the server does not see 1006. */
    @Test
    void aWsClientsCloseSendsACloseFrame() throws Exception {
        awaitReport("dial close", "close report?", "1:last close 1000");
    }

    /** Sends {@code start}, then asks {@code question} until the answer is {@code expected}. */
    private void awaitReport(String start, String question, String expected) throws Exception {
        try (Socket socket = WebSocketWire.open(port)) {
            write(socket, 1, start);
            InputStream in = socket.getInputStream();
            String[] report = {""};
            Await.until("the answer to '" + question + "' is " + expected, Duration.ofSeconds(20), () -> {
                try {
                    write(socket, 1, question);
                    report[0] = next(in);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return report[0].equals(expected);
            }, () -> "the last report: " + report[0]);
        }
    }

    @Test
    void theCloseHookMayStillSendThenClose() throws Exception {
        try (Socket socket = WebSocketWire.open(port)) {
            write(socket, 1, "one more");
            socket.getOutputStream().write(WebSocketWire.masked(CLOSE, WebSocketWire.closePayload(4000, "last words")));
            assertEquals("[1:echo: one more, 1:goodbye 4000, close 4003]", WebSocketWire.rest(socket).toString());
        }
    }

    @Test
    void aCloseTheHookLeavesOpenIsAnsweredWithTheClientsCode() throws Exception {
        try (Socket socket = WebSocketWire.open(port)) {
            socket.getOutputStream().write(WebSocketWire.masked(CLOSE, WebSocketWire.closePayload(1000, "leave it")));
            assertEquals("[1:noted 1000 leave it, close 1000]", WebSocketWire.rest(socket).toString());
        }
        try (Socket socket = WebSocketWire.open(port)) {
            socket.getOutputStream().write(WebSocketWire.masked(CLOSE, new byte[0]));
            List<WebSocketWire.Frame> frames = WebSocketWire.rest(socket);
            assertEquals("[1:noted 1005 , close 1005]", frames.toString(), "no code: 1005 to the hook, an empty close frame back");
            assertEquals(0, frames.get(1).payload().length);
        }
    }

    /**
     * Hooks set on each connection in onConnect, as Workerman's {@code $connection->onWebSocketConnect}
     * (group "own", whose worker has none): its handshake hook may refuse or greet, its pong and
     * close hooks run, and a ping hook set once it is open takes the pings from then on.
     */
    @Test
    void aConnectionsOwnHooksSetInOnConnectRun() throws Exception {
        int own = app.port("own");
        try (Socket socket = new Socket("127.0.0.1", own)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(WebSocketWire.handshake(own, "/refuse"));
            String refused = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(refused.startsWith("HTTP/1.1 403 Forbidden\r\n") && refused.endsWith("not here"), refused);
        }
        try (Socket socket = new Socket("127.0.0.1", own)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(WebSocketWire.handshake(own, "/room/7"));
            InputStream in = socket.getInputStream();
            assertTrue(WebSocketWire.head(in).startsWith("HTTP/1.1 101"));
            assertEquals("1:hello /room/7", next(in));
            write(socket, PING, "before");
            assertEquals(PONG + ":before", next(in), "no ping hook yet: drover answers");
            write(socket, 1, "ping me");
            assertEquals(PING + ":own", next(in));
            socket.getOutputStream().write(concat(WebSocketWire.masked(PONG, utf8("unheard")), WebSocketWire.masked(1, utf8("hook pongs")),
                    WebSocketWire.masked(PONG, utf8("own"))));
            assertEquals("1:hooked", next(in));
            assertEquals("1:own pong own", next(in), "the hook set in onMessage takes the pong that came in the same read; the one before it, none");
            socket.getOutputStream().write(concat(WebSocketWire.masked(1, utf8("hook pings")), WebSocketWire.masked(PING, utf8("after"))));
            assertEquals("1:hooked", next(in));
            assertEquals(PONG + ":late after", next(in), "the hook set once open takes the ping of the same read: send answers it");
            write(socket, 1, "connect hook?");
            String late = next(in);
            assertTrue(late.contains("its handshake was answered already; set onWebSocketConnect in onConnect"), late);
            socket.getOutputStream().write(WebSocketWire.masked(CLOSE, WebSocketWire.closePayload(1000, "bye")));
            assertEquals("[1:own noted 1000, close 1000]", WebSocketWire.rest(socket).toString());
        }
    }
}
