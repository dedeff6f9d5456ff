package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.ProtocolsApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * onWebSocketConnect runs before the 101 is written, as Workerman's, so an application can refuse a
 * client there (ProtocolsApp's ws group: /refuse closes, /forbidden closes with a 403, /raw writes
 * its own 401), and what it sends there follows the 101.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketHandshakeIT {
    private App app;
    private int port;

    @BeforeAll
    void start(@TempDir Path dir) {
        app = new App(dir, ProtocolsApp.class);
        app.start();
        port = app.port("ws");
    }

    @AfterAll
    void stop() {
        app.close();
    }

    /** Writes {@code bytes} and reads all the server writes until it closes. */
    private String exchange(byte[] bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(bytes);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] withEarlyFrame(byte[] handshake) {
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(handshake);
        both.writeBytes(WebSocketWire.masked(1, "early".getBytes(StandardCharsets.UTF_8)));
        return both.toByteArray();
    }

    /** close() refuses without an answer: no 101, and the frame that came with the handshake reaches nobody. */
    @Test
    void closeInOnWebSocketConnectRefusesTheClientBeforeThe101() throws IOException {
        assertEquals("", exchange(withEarlyFrame(WebSocketWire.handshake(port, "/refuse"))));
    }

    @Test
    void closeWithAResponseAnswersTheHandshakeWithIt() throws IOException {
        String answer = exchange(withEarlyFrame(WebSocketWire.handshake(port, "/forbidden")));
        assertTrue(answer.startsWith("HTTP/1.1 403 Forbidden\r\n"), answer);
        String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase();
        assertTrue(head.contains("\r\nx-why: a test") && head.contains("\r\nconnection: close") && head.contains("\r\ncontent-length: 12"), head);
        assertTrue(answer.endsWith("\r\n\r\nnot for you\n"), "the body, then the close: " + answer);
    }

    /** Java's own WebSocket client sees the refusal's status, as a browser sees a failed connection. */
    @Test
    void aClientSeesTheRefusalsStatus() {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/forbidden"), new WebSocket.Listener() {}).get(10, TimeUnit.SECONDS));
        WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, failed.getCause());
        assertEquals(403, refused.getResponse().statusCode());
    }

    @Test
    void sendRawWritesBytesBeforeThe101() throws IOException {
        assertEquals("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n", exchange(WebSocketWire.handshake(port, "/raw")));
    }

    /** A send from onWebSocketConnect is the first frame after the 101; the request has no content-length the client did not send. */
    @Test
    void aSendFromOnWebSocketConnectFollowsThe101() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(withEarlyFrame(WebSocketWire.handshake(port, "/headers")));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] chunk = new byte[4096];
            int end;
            while ((end = read.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n")) < 0
                    || WebSocketWire.frames(java.util.Arrays.copyOfRange(read.toByteArray(), end + 4, read.size())).size() < 2) {
                int n = in.read(chunk);
                assertTrue(n > 0, "closed after " + read.toString(StandardCharsets.ISO_8859_1));
                read.write(chunk, 0, n);
            }
            assertTrue(read.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 101"), read.toString(StandardCharsets.ISO_8859_1));
            byte[] frames = java.util.Arrays.copyOfRange(read.toByteArray(), end + 4, read.size());
            assertEquals("[1:content-length none, 1:echo: early]", WebSocketWire.frames(frames).toString());
        }
    }

    /** The frames the server writes after its 101 until {@code count} are whole. */
    private static List<WebSocketWire.Frame> framesAfter101(Socket socket, int count) throws IOException {
        return framesAfter101(socket, count, new ByteArrayOutputStream());
    }

    /** The same, adding what it reads to {@code read} (what an earlier call read first). */
    private static List<WebSocketWire.Frame> framesAfter101(Socket socket, int count, ByteArrayOutputStream read) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[65536];
        while (true) {
            String text = read.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                assertTrue(text.startsWith("HTTP/1.1 101"), text.substring(0, end));
                List<WebSocketWire.Frame> frames = WebSocketWire.frames(Arrays.copyOfRange(read.toByteArray(), end + 4, read.size()));
                if (frames.size() >= count) {
                    return frames;
                }
            }
            int n = in.read(chunk);
            assertTrue(n > 0, "closed after " + read.size() + " bytes");
            read.write(chunk, 0, n);
        }
    }

    /** A handshake whose target is in absolute form (RFC 9112 3.2.2) is answered; Netty's handshaker left it without an answer. */
    @Test
    void aHandshakeInAbsoluteFormIsAnswered() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(new String(WebSocketWire.handshake(port), StandardCharsets.US_ASCII)
                    .replace("GET / ", "GET http://127.0.0.1:" + port + "/abs?x=1 ").getBytes(StandardCharsets.US_ASCII));
            assertEquals("[1:hello /abs -]", framesAfter101(socket, 1).toString());
        }
    }

    /**
     * Sends before the 101 are all kept, even one over maxSendBufferSize (1 MiB), as Workerman keeps
     * them; only once more than that waits is the next one dropped.
     */
    @Test
    void aLargeSendBeforeThe101IsKept() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(WebSocketWire.handshake(port, "/big"));
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            List<WebSocketWire.Frame> frames = framesAfter101(socket, 1, read);
            assertEquals(2_000_000, frames.get(0).payload().length);
            socket.getOutputStream().write(WebSocketWire.masked(1, "after?".getBytes(StandardCharsets.UTF_8))); // once the buffer drained
            assertEquals("1:after FAILED, full true, onBufferFull 1, onBufferDrain 1", framesAfter101(socket, 2, read).get(1).toString(),
                    "the send after it, past the bound, was dropped; the buffer was full before the 101, as Workerman's, and drained after it");
        }
    }

    /** The same when what waits for the 101 is many sends, none of them past the bound alone. */
    @Test
    void manySendsBeforeThe101FillTheBufferAndDrainAfterIt() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(WebSocketWire.handshake(port, "/many"));
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            assertEquals(18, framesAfter101(socket, 18, read).size(), "kept until more than 1 MiB waited");
            socket.getOutputStream().write(WebSocketWire.masked(1, "after?".getBytes(StandardCharsets.UTF_8)));
            assertEquals("1:after FAILED, full true, onBufferFull 1, onBufferDrain 1", framesAfter101(socket, 19, read).get(18).toString());
        }
    }

    /** A ping that came with the handshake is answered after the 101 (Netty's answer went before it, and was lost). */
    @Test
    void aPingThatCameWithTheHandshakeIsAnswered() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(WebSocketWire.handshake(port));
            both.writeBytes(WebSocketWire.masked(0x9, "early".getBytes(StandardCharsets.UTF_8)));
            both.writeBytes(WebSocketWire.masked(1, "then".getBytes(StandardCharsets.UTF_8)));
            socket.getOutputStream().write(both.toByteArray());
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            assertEquals("[1:hello / -, 10:early, 1:echo: then]", framesAfter101(socket, 3, read).toString());
            socket.getOutputStream().write(WebSocketWire.masked(0x9, "later".getBytes(StandardCharsets.UTF_8)));
            assertEquals("10:later", framesAfter101(socket, 4, read).get(3).toString(), "and once open, by Netty as before");
        }
    }

    /** onWebSocketConnect adds headers to the 101, as Workerman's $connection->headers; once it is written, that is refused. */
    @Test
    void onWebSocketConnectAddsHeadersToThe101() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(new String(WebSocketWire.handshake(port, "/cookie"), StandardCharsets.US_ASCII)
                    .replace("\r\n\r\n", "\r\nSec-WebSocket-Protocol: chat\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(WebSocketWire.masked(1, "late header".getBytes(StandardCharsets.UTF_8)));
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            List<WebSocketWire.Frame> frames = framesAfter101(socket, 3, read);
            String head = read.toString(StandardCharsets.ISO_8859_1);
            head = head.substring(0, head.indexOf("\r\n\r\n")).toLowerCase();
            assertTrue(head.contains("\r\nset-cookie: sid=7; httponly"), head);
            assertTrue(head.contains("\r\nsec-websocket-protocol: mine") && !head.contains(": chat"), "the application's choice replaces the worker's: " + head);
            assertEquals("1:cookie set", frames.get(0).toString());
            assertEquals("1:Sec-WebSocket-Accept is the WebSocket handshake's own header; the 101 takes others (and Sec-WebSocket-Protocol)",
                    frames.get(1).toString());
            assertTrue(frames.get(2).toString().contains("its 101 was written already"), frames.get(2).toString());
        }
    }

    /**
     * A command runs the application's main, whose setWebSocketProtocols loads a Netty class: Netty's
     * logger is drover's there too, and the class path's slf4j-api (Lettuce's) prints no "SLF4J: ..." warnings.
     */
    @Test
    void commandsPrintNothingOfNettysLogger() {
        App.Result status = app.run("status");
        assertEquals(0, status.code(), status.err());
        assertFalse(status.err().contains("SLF4J"), status.err());
    }

    /** A plain GET is told what to upgrade to (RFC 9110 15.5.22). */
    @Test
    void aPlainGetGets426NamingWebSocket() throws IOException {
        String answer = exchange(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase();
        assertTrue(head.startsWith("http/1.1 426") && head.contains("\r\nupgrade: websocket") && head.contains("\r\nsec-websocket-version: 13")
                && head.contains("\r\nconnection: upgrade, close"), head);
    }

    /** Requests that are no handshake get 400 before onWebSocketConnect, as Netty's handshaker answered them after it. */
    @Test
    void aRequestThatIsNoHandshakeGets400() throws IOException {
        String handshake = new String(WebSocketWire.handshake(port), StandardCharsets.US_ASCII);
        String post = exchange(handshake.replace("GET /", "POST /").getBytes(StandardCharsets.US_ASCII));
        assertTrue(post.startsWith("HTTP/1.1 400") && post.endsWith("a WebSocket handshake is a GET, not a POST\n"), post);
        String noUpgrade = exchange(handshake.replace("Upgrade: websocket\r\n", "").getBytes(StandardCharsets.US_ASCII));
        assertTrue(noUpgrade.startsWith("HTTP/1.1 400") && noUpgrade.endsWith("a WebSocket handshake says Upgrade: websocket\n"), noUpgrade);
        String http10 = exchange(handshake.replace(" HTTP/1.1\r\n", " HTTP/1.0\r\n").getBytes(StandardCharsets.US_ASCII));
        assertTrue(http10.startsWith("HTTP/1.1 400") && http10.endsWith("a WebSocket handshake is HTTP/1.1, not HTTP/1.0\n"), http10);
        String twoKeys = exchange(handshake.replace("\r\n\r\n", "\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertTrue(twoKeys.startsWith("HTTP/1.1 400") && twoKeys.endsWith("a WebSocket handshake has one Sec-WebSocket-Key (RFC 6455 11.3.1)\n"),
                twoKeys);
    }
}
