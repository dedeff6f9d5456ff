package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.ProtocolsApp;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** RFC 6455 5.5.1: each side of a WebSocket sends one close frame, whichever side closes first. */
@Timeout(120)
class WebSocketCloseIT {
    /** A handshaken connection to {@code port}, its 101 head read. */
    private static Socket open(int port) throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(WebSocketWire.handshake(port));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertTrue(b >= 0, "closed during the handshake: " + head);
            head.append((char) b);
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
        return socket;
    }

    /** The frames the server wrote until it closed the connection. */
    private static List<WebSocketWire.Frame> rest(Socket socket) throws Exception {
        return WebSocketWire.frames(socket.getInputStream().readAllBytes());
    }

    @Test
    void theClientsCloseIsAnsweredOnceAndTheStopsIsNotAnsweredBack(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, ProtocolsApp.class)) {
            app.start();
            int port = app.port("ws");
            try (Socket socket = open(port)) {
                socket.getOutputStream().write(WebSocketWire.masked(0x8, WebSocketWire.closePayload(4002, "done")));
                assertEquals("[1:hello / -, close 4002]", rest(socket).toString(), "the greeting, then the close answered with its code");
            }
            try (Socket socket = open(port)) {
                InputStream in = socket.getInputStream();
                byte[] greeting = in.readNBytes(2 + "hello / -".length());
                assertEquals("[1:hello / -]", WebSocketWire.frames(greeting).toString());
                Process stop = app.launch("stop");
                byte[] goingAway = in.readNBytes(2 + 2 + "going away".length()); // the header, the code, the reason
                assertEquals("[close 1001]", WebSocketWire.frames(goingAway).toString(), "the stop's close frame");
                socket.getOutputStream().write(WebSocketWire.masked(0x8, WebSocketWire.closePayload(1001, "")));
                assertEquals(List.of(), rest(socket), "nothing after the server's close frame, its answer included");
                assertTrue(stop.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "stop returned");
                assertEquals(0, stop.exitValue(), java.nio.file.Files.readString(dir.resolve("foreground.err")));
            }
        }
    }
}
