package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /** Requests that are no handshake get 400 before onWebSocketConnect, as Netty's handshaker answered them after it. */
    @Test
    void aRequestThatIsNoHandshakeGets400() throws IOException {
        String handshake = new String(WebSocketWire.handshake(port), StandardCharsets.US_ASCII);
        String post = exchange(handshake.replace("GET /", "POST /").getBytes(StandardCharsets.US_ASCII));
        assertTrue(post.startsWith("HTTP/1.1 400") && post.endsWith("a WebSocket handshake is a GET, not a POST\n"), post);
        String noUpgrade = exchange(handshake.replace("Upgrade: websocket\r\n", "").getBytes(StandardCharsets.US_ASCII));
        assertTrue(noUpgrade.startsWith("HTTP/1.1 400") && noUpgrade.endsWith("a WebSocket handshake says Upgrade: websocket\n"), noUpgrade);
    }
}
