package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.it.apps.ProtocolsApp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, acceptance 4: hostile input only affects its own connection: the worker keeps its pid
 * and goes on serving everyone else.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {
    private App app;
    private final Map<String, Integer> ports = new HashMap<>();
    private List<App.WorkerRow> workers;

    @BeforeAll
    void start(@TempDir Path dir) {
        app = new App(dir, ProtocolsApp.class);
        app.start();
        for (JsonNode group : app.status().get("workers")) {
            String listen = group.get("listen").asText();
            ports.putIfAbsent(group.get("name").asText(), Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1)));
        }
        workers = app.workers();
    }

    @AfterAll
    void stop() {
        try {
            assertEquals(workers, app.workers(), "no worker was replaced by any bad input");
        } finally {
            app.close();
        }
    }

    /** Everyone else is still served, on every protocol. */
    private void othersAreServed() throws IOException {
        assertEquals("GET /ok {}", Http.get(ports.get("web"), "/ok"));
        assertEquals("echo: fine", TextClient.ask(ports.get("line"), "fine"));
    }

    /** Sends bytes and reads what comes back until the server closes (or {@code waitMillis} of silence). */
    private static String exchange(int port, byte[] bytes, int waitMillis) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(waitMillis);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException closedWhileWriting) {
                return "closed";
            }
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    answer.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                }
                return answer + "<closed>";
            } catch (SocketTimeoutException stillOpen) {
                return answer + "<open>";
            } catch (IOException reset) {
                return answer + "<closed>";
            }
        }
    }

    @Test
    void randomBytesOnEveryProtocol() throws IOException {
        byte[] noise = new byte[100_000];
        new Random(42).nextBytes(noise);
        for (String group : List.of("web", "ws", "line", "frames", "raw")) {
            String answer = exchange(ports.get(group), noise, 3000);
            if (group.equals("web") || group.equals("ws")) {
                assertTrue(answer.startsWith("HTTP/1.1 400") && answer.endsWith("<closed>"), group + ": " + head(answer));
            }
            if (group.equals("frames")) {
                assertTrue(answer.endsWith("<closed>"), group + ": " + head(answer));
            }
            othersAreServed();
        }
    }

    @Test
    void truncatedFrameAndHalfRequestWaitWithoutBlockingAnyone() throws IOException {
        try (Socket frame = new Socket("127.0.0.1", ports.get("frames")); Socket half = new Socket("127.0.0.1", ports.get("web"))) {
            frame.getOutputStream().write(new byte[] {0, 0, 0, 100, 'a', 'b', 'c'});
            half.getOutputStream().write("GET / HTTP/1.1\r\nHost:".getBytes(StandardCharsets.US_ASCII));
            othersAreServed();
            frame.setSoTimeout(500);
            half.setSoTimeout(500);
            assertTrue(stillOpen(frame) && stillOpen(half), "both wait for the rest");
            othersAreServed();
        }
    }

    private static boolean stillOpen(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() >= 0;
        } catch (SocketTimeoutException waiting) {
            return true;
        }
    }

    @Test
    void packagesOverMaxPackageSize() throws IOException {
        assertTrue(exchange(ports.get("frames"), new byte[] {0x7f, -1, -1, -1}, 3000).equals("<closed>"));
        String tooBig = exchange(ports.get("web"), "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 20000000\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII), 3000);
        assertTrue(tooBig.startsWith("HTTP/1.1 413"), head(tooBig));
        othersAreServed();
    }

    @Test
    void malformedHttpRequestLineGets400AndClose() throws IOException {
        String answer = exchange(ports.get("web"), "BLAH\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 3000);
        assertTrue(answer.startsWith("HTTP/1.1 400") && answer.endsWith("<closed>"), head(answer));
        othersAreServed();
    }

    @Test
    void noHostOrAnotherHttpVersionIsRefusedAndClosed() throws IOException {
        String noHost = exchange(ports.get("web"), "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 3000);
        assertTrue(noHost.startsWith("HTTP/1.1 400") && noHost.endsWith("needs a Host header\n<closed>"), noHost);
        String http2 = exchange(ports.get("web"), "GET / HTTP/2.0\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 3000);
        assertTrue(http2.startsWith("HTTP/1.1 505") && http2.endsWith("<closed>"), http2);
        othersAreServed();
    }

    /** A handshake over the head limits is answered as HTTP answers it: 431, not Netty's "Missing origin header". */
    @Test
    void aHandshakeOverTheHeadLimitsGets431() throws IOException {
        String big = new String(WebSocketWire.handshake(ports.get("ws")), StandardCharsets.US_ASCII)
                .replace("\r\n\r\n", "\r\nX-Big: " + "b".repeat(17_000) + "\r\n\r\n");
        String answer = exchange(ports.get("ws"), big.getBytes(StandardCharsets.US_ASCII), 3000);
        assertTrue(answer.startsWith("HTTP/1.1 431") && answer.endsWith("<closed>"), head(answer));
        othersAreServed();
    }

    @Test
    void invalidWebSocketFrameClosesWithProtocolError() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", ports.get("ws"))) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /bad HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = readUntil(in, "\r\n\r\n");
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            out.write(new byte[] {(byte) 0x83, (byte) 0x80, 1, 2, 3, 4}); // opcode 3 is reserved
            out.flush();
            byte[] rest = in.readAllBytes();
            boolean closeFrame = false;
            for (int i = 0; i + 3 < rest.length; i++) {
                closeFrame |= (rest[i] & 0x0f) == 0x8 && ((rest[i + 2] & 0xff) << 8 | rest[i + 3] & 0xff) == 1002;
            }
            assertTrue(closeFrame, "a close frame with 1002 came before the close");
        }
        othersAreServed();
    }

    /**
     * RFC 6455 7.1.7: a frame that breaks the protocol gets a close frame saying why before the
     * close, a close frame's bad code or reason too (Netty's decoder sent none for those, counting
     * the client's close frame as the closing handshake).
     */
    @Test
    void aBrokenFrameOrCloseFrameGetsAClosingCodeSayingWhy() throws Exception {
        byte[] badUtf8 = {(byte) 0xff, (byte) 0xfe};
        byte[] badReason = {0x03, (byte) 0xe8, (byte) 0xff, (byte) 0xfe};
        Object[][] cases = {
            {WebSocketWire.masked(0x8, WebSocketWire.closePayload(999, "")), "[1:hello / -, close 1002]"},
            {WebSocketWire.masked(0x8, WebSocketWire.closePayload(1005, "")), "[1:hello / -, close 1002]"},
            {WebSocketWire.masked(0x8, WebSocketWire.closePayload(2999, "")), "[1:hello / -, close 1002]"},
            {WebSocketWire.masked(0x8, badReason), "[1:hello / -, close 1007]"},
            {WebSocketWire.masked(0x1, badUtf8), "[1:hello / -, close 1007]"},
            {WebSocketWire.masked(0x8, new byte[] {0x03}), "[1:hello / -, close 1002]"},
        };
        for (Object[] c : cases) {
            try (Socket socket = WebSocketWire.open(ports.get("ws"))) { // the app greets each client
                socket.getOutputStream().write((byte[]) c[0]);
                assertEquals(c[1], WebSocketWire.rest(socket).toString());
            }
        }
        othersAreServed();
    }

    /**
     * A frame that breaks the protocol in the handshake's own write gets its close frame after the
     * 101 and the greeting; the decoder found it before the 101 went out, and the client got neither.
     */
    @Test
    void aBrokenFrameThatComesWithTheHandshakeIsAnsweredAfterThe101() throws Exception {
        try (Socket socket = withHandshake(new byte[] {(byte) 0x83, (byte) 0x80, 1, 2, 3, 4})) { // opcode 3 is reserved
            assertEquals("[1:hello / -, close 1002]", WebSocketWire.rest(socket).toString());
        }
        othersAreServed();
    }

    /** A connection to the WebSocket worker that sent its handshake and {@code frame} in one write, and got its 101. */
    private Socket withHandshake(byte[] frame) throws Exception {
        int port = ports.get("ws");
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        java.io.ByteArrayOutputStream both = new java.io.ByteArrayOutputStream();
        both.writeBytes(WebSocketWire.handshake(port));
        both.writeBytes(frame);
        socket.getOutputStream().write(both.toByteArray());
        String head = WebSocketWire.head(socket.getInputStream());
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
        return socket;
    }

    /**
     * A frame sent in the handshake's own write waits for onWebSocketConnect, as in Workerman: the
     * application's greeting comes first, then the frame's echo. onMessage ran first, and its send
     * failed ("unsupported message type") because the 101 had not gone out yet.
     */
    @Test
    void aFrameThatComesWithTheHandshakeWaitsForOnWebSocketConnect() throws Exception {
        try (Socket socket = withHandshake(WebSocketWire.masked(1, "early".getBytes(StandardCharsets.UTF_8)))) {
            InputStream in = socket.getInputStream();
            java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
            byte[] chunk = new byte[4096];
            while (WebSocketWire.frames(read.toByteArray()).size() < 2) {
                int n = in.read(chunk);
                if (n < 0) {
                    break;
                }
                read.write(chunk, 0, n);
            }
            assertEquals("[1:hello / -, 1:echo: early]", WebSocketWire.frames(read.toByteArray()).toString());
        }
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder text = new StringBuilder();
        while (!text.toString().endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            text.append((char) b);
        }
        return text.toString();
    }

    private static String head(String answer) {
        return answer.length() > 200 ? answer.substring(0, 200) + "..." : answer;
    }
}
