package dev.drover.it.apps;

import dev.drover.AsyncTcpConnection;
import dev.drover.Connection;
import dev.drover.Protocol;
import dev.drover.Timer;
import dev.drover.Worker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AsyncTcpConnection's states, each scenario's events appended to app.dir/report.txt:
 * <ul>
 * <li>{@code refused}: sends before a connect to a closed port (app.refused) queue up to
 *     maxSendBufferSize, then fail; the connect fails; a send in onClose fails.</li>
 * <li>{@code abandoned}: close() right after connect() to a server (app.quiet) that reports what it
 *     hears: onClose, no onConnect, sends fail and are never heard.</li>
 * <li>{@code replaced}: connect, close, a send that fails, reconnect(0) and a send: the echo server
 *     (app.echo) hears the second only.</li>
 * <li>{@code drained}: a queue that filled before the connect (onBufferFull) fires onBufferDrain once it
 *     went out, so that a pipe() paused by it resumes.</li>
 * <li>{@code ws}: a ws:// client's send after its TCP connect and before the handshake's answer
 *     (which a raw server on app.ws gives 0.3 s late) reaches that server once the handshake is done.</li>
 * <li>{@code midway}: reconnect(0.2) right after connect(), while the first connect is under way:
 *     one onConnect, and sends work.</li>
 * <li>{@code reopened}: close() then connect() in onConnect: a second onConnect, no onClose.</li>
 * <li>{@code ws404}: a ws:// client that an HTTP server (app.http) answers with 404: onError(CONNECT_FAIL)
 *     with the status, then onClose; {@code ws404quiet}, without onError, is logged.</li>
 * <li>{@code tagged}: a Protocol of the application's sees the AsyncTcpConnection (what it put on it);
 *     its decode's null reaches onMessage, its encode's null sends nothing.</li>
 * </ul>
 * The client starts once every server port accepts.
 */
public final class ClientStatesApp {
    private static final Pattern KEY = Pattern.compile("(?i)sec-websocket-key: *(\\S+)");

    private ClientStatesApp() {}

    public static void main(String[] args) {
        Path report = Path.of(System.getProperty("app.dir"), "report.txt");
        int quietPort = Integer.getInteger("app.quiet");
        int echoPort = Integer.getInteger("app.echo");
        int wsPort = Integer.getInteger("app.ws");

        Worker quiet = new Worker("text://127.0.0.1:" + quietPort).setName("quiet");
        quiet.onMessage((c, line) -> report(report, "quiet server heard " + line));
        Worker echo = new Worker("text://127.0.0.1:" + echoPort).setName("echo");
        echo.onMessage((c, line) -> c.send("echo: " + line));
        Worker ws = new Worker("tcp://127.0.0.1:" + wsPort).setName("slowws");
        Map<Long, ByteArrayOutputStream> handshaken = new HashMap<>();
        ws.onMessage((c, data) -> slowWebSocket(c, (byte[]) data, handshaken, report));

        int httpPort = Integer.getInteger("app.http");
        Worker http = new Worker("http://127.0.0.1:" + httpPort).setName("http");
        http.onMessage((c, request) -> c.send(new dev.drover.http.Response(404)));
        Protocol.register("tagline", new TagLine());
        int hangupPort = Integer.getInteger("app.hangup");
        Worker hangup = new Worker("tcp://127.0.0.1:" + hangupPort).setName("hangup");
        hangup.onMessage((c, data) -> c.destroy());
        int mutePort = Integer.getInteger("app.mute");
        Worker mute = new Worker("tcp://127.0.0.1:" + mutePort).setName("mute");
        int wsEchoPort = Integer.getInteger("app.wsecho");
        Worker wsEcho = new Worker("websocket://127.0.0.1:" + wsEchoPort).setName("wsecho");
        wsEcho.onMessage((c, data) -> c.send("echo: " + data));
        int hugePort = Integer.getInteger("app.huge");
        Worker huge = new Worker("tcp://127.0.0.1:" + hugePort).setName("huge");
        huge.onMessage((c, data) -> hugeFrame(c, (byte[]) data));

        Worker client = new Worker().setName("client");
        client.onWorkerStart(w -> {
            awaitListening(quietPort, echoPort, wsPort, httpPort, hangupPort, mutePort, hugePort, wsEchoPort);
            report(report, "client ready");
            refused(report);
            abandoned(report, quietPort);
            replaced(report, echoPort);
            drained(report, echoPort);
            webSocket(report, wsPort);
            midway(report, echoPort);
            reopened(report, echoPort);
            notFound(report, httpPort);
            tagged(report, echoPort);
            unanswered(report, hangupPort, "wshangup");
            unanswered(report, mutePort, "wsmute");
            pausedEarly(report, "text://127.0.0.1:" + echoPort, "pausedearly");
            pausedEarly(report, "ws://127.0.0.1:" + wsEchoPort + "/", "pausedws");
            many(report, echoPort);
            refusedQuietly(report);
            noPort(report);
            tooBig(report, hugePort);
        });
        Worker.runAll(args);
    }

    private static void refused(Path report) {
        AsyncTcpConnection c = new AsyncTcpConnection("text://127.0.0.1:" + Integer.getInteger("app.refused"));
        c.setMaxSendBufferSize(10);
        c.onBufferFull(x -> report(report, "refused onBufferFull"));
        c.onError((x, code, message) -> report(report, "refused onError " + code + (code == Connection.SEND_FAIL ? " " + message : "")));
        c.onClose(x -> report(report, "refused onClose, then send=" + x.send("late")));
        report(report, "refused send1=" + c.send("0123456789"));
        report(report, "refused send2=" + c.send("x"));
        c.connect();
    }

    private static void abandoned(Path report, int port) {
        AsyncTcpConnection c = new AsyncTcpConnection("text://127.0.0.1:" + port);
        c.onConnect(x -> report(report, "abandoned onConnect"));
        c.onClose(x -> report(report, "abandoned onClose"));
        c.connect();
        c.close();
        report(report, "abandoned send=" + c.send("after") + " open=" + c.isOpen());
        Timer.once(0.5, () -> report(report, "abandoned done"));
    }

    private static void replaced(Path report, int port) {
        AsyncTcpConnection c = new AsyncTcpConnection("text://127.0.0.1:" + port);
        c.onMessage((x, line) -> report(report, "replaced heard " + line + " on connection " + x.getId()));
        c.connect();
        long id = c.getId();
        c.close();
        report(report, "replaced send after close=" + c.send("dropped"));
        c.reconnect(0);
        report(report, "replaced send after reconnect=" + c.send("fresh") + ", same id=" + (c.getId() == id));
    }

    /** {@code drained} fills its queue and then the connection's buffer; {@code roomy} is given room once its queue filled. */
    private static void drained(Path report, int port) {
        for (String name : List.of("drained", "roomy")) {
            AsyncTcpConnection c = new AsyncTcpConnection("text://127.0.0.1:" + port);
            c.setMaxSendBufferSize(10);
            c.onBufferFull(x -> {
                report(report, name + " onBufferFull");
                if (name.equals("roomy")) {
                    x.setMaxSendBufferSize(1000);
                }
            });
            c.onBufferDrain(x -> report(report, name + " onBufferDrain"));
            c.onMessage((x, line) -> report(report, name + " heard " + line));
            c.send("0123456789");
            c.connect();
        }
    }

    private static void webSocket(Path report, int port) {
        AsyncTcpConnection c = new AsyncTcpConnection("ws://127.0.0.1:" + port + "/");
        c.onConnect(x -> report(report, "ws onConnect"));
        c.connect();
        // The raw server answers the handshake 0.3 s after it came: by 0.1 s the TCP connection is up, the handshake not done.
        Timer.once(0.1, () -> report(report, "ws send during the handshake=" + c.send("during") + " open=" + c.isOpen()));
    }

    private static void midway(Path report, int port) {
        AsyncTcpConnection c = new AsyncTcpConnection("text://127.0.0.1:" + port);
        c.onConnect(x -> report(report, "midway onConnect send=" + x.send("hi")));
        c.onMessage((x, line) -> report(report, "midway heard " + line));
        c.connect();
        c.reconnect(0.2);
    }

    private static void reopened(Path report, int port) {
        AsyncTcpConnection c = new AsyncTcpConnection("text://127.0.0.1:" + port);
        int[] connects = {0};
        c.onConnect(x -> {
            report(report, "reopened onConnect " + ++connects[0]);
            if (connects[0] == 1) {
                c.close();
                c.connect();
            } else {
                x.send("again");
            }
        });
        c.onClose(x -> report(report, "reopened onClose"));
        c.onMessage((x, line) -> report(report, "reopened heard " + line));
        c.connect();
    }

    private static void notFound(Path report, int port) {
        AsyncTcpConnection told = new AsyncTcpConnection("ws://127.0.0.1:" + port + "/nope");
        told.onConnect(x -> report(report, "ws404 onConnect"));
        told.onError((x, code, message) -> report(report, "ws404 onError " + code + " " + message));
        told.onClose(x -> report(report, "ws404 onClose"));
        told.connect();
        AsyncTcpConnection quiet = new AsyncTcpConnection("ws://127.0.0.1:" + port + "/quiet");
        quiet.onClose(x -> report(report, "ws404quiet onClose"));
        quiet.connect();
    }

    /** A ws:// server that closes at the handshake (wshangup), or never answers it (wsmute): a connect that failed. */
    private static void unanswered(Path report, int port, String name) {
        AsyncTcpConnection c = new AsyncTcpConnection("ws://127.0.0.1:" + port + "/");
        c.onConnect(x -> report(report, name + " onConnect"));
        c.onError((x, code, message) -> report(report, name + " onError " + code + " " + message));
        c.onClose(x -> report(report, name + " onClose"));
        c.connect();
    }

    /** pauseRecv() before the connect: the echo of what onConnect sends waits for resumeRecv(), 0.5 s later (ws://: its handshake is read). */
    private static void pausedEarly(Path report, String address, String name) {
        AsyncTcpConnection c = new AsyncTcpConnection(address);
        c.pauseRecv();
        c.onConnect(x -> {
            x.send("early");
            Timer.once(0.5, () -> {
                report(report, name + " resumed");
                x.resumeRecv();
            });
        });
        c.onMessage((x, line) -> report(report, name + " heard " + line));
        c.connect();
    }

    /** Thirteen small sends queued before the connect, within maxSendBufferSize: every one goes out. */
    private static void many(Path report, int port) {
        AsyncTcpConnection c = new AsyncTcpConnection("text://127.0.0.1:" + port);
        c.setMaxSendBufferSize(100);
        c.onError((x, code, message) -> report(report, "many onError " + code + " " + message));
        int[] heard = {0};
        c.onMessage((x, line) -> {
            if (++heard[0] == 13) {
                report(report, "many heard 13, the last " + line);
            }
        });
        StringBuilder statuses = new StringBuilder();
        for (int i = 0; i < 13; i++) {
            statuses.append(c.send("line-" + i).name().charAt(0));
        }
        report(report, "many sends " + statuses);
        c.connect();
    }

    /** A refused connect without onError, tried again and again: logged once, not once a try. */
    private static void refusedQuietly(Path report) {
        AsyncTcpConnection c = new AsyncTcpConnection("text://127.0.0.1:" + Integer.getInteger("app.refused"));
        int[] closes = {0};
        c.onClose(x -> {
            if (++closes[0] < 20) {
                c.reconnect(0.02);
            } else {
                report(report, "loudless closed 20 times");
            }
        });
        c.connect();
    }

    /** A frame over maxPackageSize from the server: closed, and logged (the server's fault, which only this end sees). */
    private static void tooBig(Path report, int port) {
        AsyncTcpConnection c = new AsyncTcpConnection("ws://127.0.0.1:" + port + "/");
        c.onClose(x -> report(report, "toobig onClose"));
        c.connect();
    }

    /** Answers a WebSocket handshake, then announces a binary frame of 20 MiB (twice the default maxPackageSize). */
    private static void hugeFrame(Connection c, byte[] data) {
        Matcher key = KEY.matcher(new String(data, StandardCharsets.ISO_8859_1));
        if (key.find()) {
            c.sendRaw(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                    + accept(key.group(1)) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            c.sendRaw(new byte[] {(byte) 0x82, 127, 0, 0, 0, 0, 1, 64, 0, 0});
        }
    }

    private static void noPort(Path report) {
        for (String address : new String[] {"text://127.0.0.1", "text://127.0.0.1:0"}) {
            try {
                new AsyncTcpConnection(address);
            } catch (IllegalArgumentException e) {
                report(report, "noport " + e.getMessage());
            }
        }
    }

    private static void tagged(Path report, int port) {
        AsyncTcpConnection c = new AsyncTcpConnection("tagline://127.0.0.1:" + port);
        c.put("tag", "T");
        c.onConnect(x -> {
            x.send("skip");
            x.send("one");
            x.send("nothing");
        });
        c.onMessage((x, data) -> report(report, "tagged heard " + data));
        c.connect();
    }

    /** Lines, as text://, whose decode prefixes what the connection was tagged with, and says null for "echo: nothing". */
    private static final class TagLine implements Protocol {
        private final Protocol lines = new dev.drover.protocols.Text();

        @Override
        public int input(java.nio.ByteBuffer buffer, Connection connection) {
            return lines.input(buffer, connection);
        }

        @Override
        public Object decode(byte[] packet, Connection connection) {
            String line = new String(packet, 0, packet.length - 1, StandardCharsets.UTF_8);
            return line.equals("echo: nothing") ? null : connection.get("tag") + ":" + line;
        }

        @Override
        public byte[] encode(Object data, Connection connection) {
            return data.equals("skip") ? null : (data + "\n").getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A WebSocket server that answers the handshake 0.3 s late, then reports each small text frame. */
    private static void slowWebSocket(Connection c, byte[] data, Map<Long, ByteArrayOutputStream> handshaken, Path report) {
        ByteArrayOutputStream head = handshaken.computeIfAbsent(c.getId(), k -> new ByteArrayOutputStream());
        if (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            head.writeBytes(data);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            Matcher key = KEY.matcher(text);
            if (text.endsWith("\r\n\r\n") && key.find()) {
                String accept = accept(key.group(1));
                Timer.once(0.3, () -> c.sendRaw(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            }
            return;
        }
        for (int at = 0; at + 6 <= data.length; ) { // masked frames of under 126 bytes
            int length = data[at + 1] & 0x7f;
            byte[] payload = new byte[length];
            for (int i = 0; i < length; i++) {
                payload[i] = (byte) (data[at + 6 + i] ^ data[at + 2 + i % 4]);
            }
            report(report, "ws server heard " + new String(payload, StandardCharsets.UTF_8));
            at += 6 + length;
        }
    }

    private static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Blocks until each port accepts a connection (the servers are other processes of this app). */
    private static void awaitListening(int... ports) throws InterruptedException {
        for (int port : ports) {
            for (int tries = 0; ; tries++) {
                try (Socket probe = new Socket("127.0.0.1", port)) {
                    break;
                } catch (IOException notYet) {
                    if (tries > 400) {
                        throw new IllegalStateException("nothing listens on " + port);
                    }
                    Thread.sleep(50);
                }
            }
        }
    }

    private static void report(Path report, String line) {
        try {
            Files.writeString(report, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
