package dev.drover.it.apps;

import dev.drover.AsyncTcpConnection;
import dev.drover.AsyncUdpConnection;
import dev.drover.Connection;
import dev.drover.Protocol;
import dev.drover.Worker;
import dev.drover.protocols.Text;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * AsyncUdpConnection against a udp:// echo server (app.echo on 127.0.0.1, app.echo6 on [::1]),
 * which answers "echo: " and what it heard; each scenario's events are appended to
 * app.dir/report.txt:
 * <ul>
 * <li>{@code udp}: a send before connect() connects; onConnect, the echo, the addresses.</li>
 * <li>{@code text}: text:// encodes a line and decodes the answer's.</li>
 * <li>{@code big}: the largest IPv4 datagram (65,507 bytes) there and back, one over it refused.</li>
 * <li>{@code six}: over IPv6.</li>
 * <li>{@code refused}: datagrams to a port nothing listens on (app.refused): the kernel's "port
 *     unreachable" reaches onError(SEND_FAIL).</li>
 * <li>{@code closed}: close() calls onClose; a send after it fails; connect() opens it again.</li>
 * <li>{@code bad}: addresses it cannot send to, refused by the constructor.</li>
 * <li>{@code broadcast}: a connect that fails.</li>
 * <li>{@code bare}: a text:// client hears a datagram without a line's end whole.</li>
 * <li>{@code lines}: a text:// worker over transport udp (app.lines) cuts a datagram into lines.</li>
 * <li>{@code picky}: a protocol's failure on a datagram (app.picky) drops that one only.</li>
 * <li>{@code named}: clients (udp, and tcp to app.tcp) to localhost, looked up beside the loop.</li>
 * </ul>
 */
public final class UdpClientApp {
    private UdpClientApp() {}

    public static void main(String[] args) {
        Path report = Path.of(System.getProperty("app.dir"), "report.txt");
        int echoPort = Integer.getInteger("app.echo");
        int echo6Port = Integer.getInteger("app.echo6");
        for (String address : new String[] {"udp://127.0.0.1:" + echoPort, "udp://[::1]:" + echo6Port}) {
            Worker echo = new Worker(address).setName(address.contains("::1") ? "echo6" : "echo");
            echo.onMessage((c, data) -> {
                byte[] heard = (byte[]) data;
                if (new String(heard, StandardCharsets.UTF_8).endsWith("short")) {
                    c.send("ok"); // two bytes: less than a frame's header
                    return;
                }
                c.send(heard.length > 1000 ? ("echo: " + heard.length + " bytes").getBytes(StandardCharsets.UTF_8) : concat("echo: ", heard));
            });
        }

        Worker tcpEcho = new Worker("text://127.0.0.1:" + Integer.getInteger("app.tcp")).setName("tcp");
        tcpEcho.onMessage((c, line) -> c.send("echo: " + line));
        int linesPort = Integer.getInteger("app.lines");
        Worker lines = new Worker("text://127.0.0.1:" + linesPort).setName("lines").setTransport("udp");
        lines.onMessage((c, line) -> c.send("line " + line + " over " + c.getProtocol()));
        Protocol.register("picky", new Picky());
        int pickyPort = Integer.getInteger("app.picky");
        Worker picky = new Worker("picky://127.0.0.1:" + pickyPort).setName("picky").setTransport("udp");
        picky.onMessage((c, line) -> c.send("picky " + line));

        Worker client = new Worker().setName("client");
        client.onWorkerStart(w -> {
            udp(report, echoPort);
            text(report, echoPort);
            big(report, echoPort);
            six(report, echo6Port);
            refused(report, Integer.getInteger("app.refused"));
            closed(report, echoPort);
            bad(report);
            broadcast(report);
            bare(report, echoPort);
            lines(report, linesPort);
            picky(report, pickyPort);
            named(report, echoPort);
            undecodable(report, echoPort);
        });
        Worker.runAll(args);
    }

    private static void udp(Path report, int port) {
        AsyncUdpConnection c = new AsyncUdpConnection("udp://127.0.0.1:" + port);
        c.onConnect(x -> report(report, "udp onConnect open=" + x.isOpen() + " remote=" + x.getRemoteAddress()
                + " local=" + x.getLocalIp() + " bound=" + (x.getLocalPort() > 0)));
        c.onMessage((x, data) -> report(report, "udp heard " + new String((byte[]) data, StandardCharsets.UTF_8) + " as " + data.getClass().getSimpleName()));
        report(report, "udp send before connect=" + c.send("first"));
    }

    private static void text(Path report, int port) {
        AsyncUdpConnection c = new AsyncUdpConnection("text://127.0.0.1:" + port);
        c.onMessage((x, line) -> report(report, "text heard " + line + " protocol=" + x.getProtocol()));
        c.connect();
        c.send("line");
    }

    private static void big(Path report, int port) {
        AsyncUdpConnection c = new AsyncUdpConnection("udp://127.0.0.1:" + port);
        c.onMessage((x, data) -> report(report, "big heard " + new String((byte[]) data, StandardCharsets.UTF_8)));
        c.onError((x, code, message) -> report(report, "big onError " + code + " " + message));
        c.connect();
        c.send(new byte[65508]);
        c.send(new byte[65507]);
    }

    private static void six(Path report, int port) {
        AsyncUdpConnection c = new AsyncUdpConnection("udp://[::1]:" + port);
        c.onMessage((x, data) -> report(report, "six heard " + new String((byte[]) data, StandardCharsets.UTF_8) + " from " + x.getRemoteAddress()));
        c.connect();
        c.send("over six");
    }

    private static void refused(Path report, int port) {
        AsyncUdpConnection c = new AsyncUdpConnection("udp://127.0.0.1:" + port);
        c.onError((x, code, message) -> {
            if (x.get("told") == null) {
                x.put("told", true);
                report(report, "refused onError " + code + " " + message);
            }
        });
        c.connect();
        c.send("one");
        long[] timer = new long[1];
        timer[0] = dev.drover.Timer.add(0.05, () -> { // until the kernel's answer to an earlier one came back
            if (c.get("told") == null) {
                c.send("again");
            } else {
                dev.drover.Timer.del(timer[0]);
            }
        });
    }

    private static void closed(Path report, int port) {
        AsyncUdpConnection c = new AsyncUdpConnection("udp://127.0.0.1:" + port);
        c.onClose(x -> report(report, "closed onClose open=" + x.isOpen()));
        c.onError((x, code, message) -> report(report, "closed onError " + code + " " + message));
        c.onMessage((x, data) -> report(report, "closed heard " + new String((byte[]) data, StandardCharsets.UTF_8)));
        c.connect();
        c.close();
        report(report, "closed send after close=" + c.send("dropped"));
        c.connect();
        c.send("reopened");
    }

    /** A socket that may not send to the broadcast address: its connect fails (EACCES), heard by onError, and logged without it. */
    private static void broadcast(Path report) {
        AsyncUdpConnection c = new AsyncUdpConnection("udp://255.255.255.255:9");
        c.onError((x, code, message) -> report(report, "broadcast onError " + code + " " + message));
        c.onClose(x -> report(report, "broadcast onClose open=" + x.isOpen() + " send=" + x.send("late")));
        c.connect();
        new AsyncUdpConnection("udp://255.255.255.255:10").connect();
    }

    /** A host name is looked up beside the loop, then connected to; a name that does not resolve fails the connect. */
    private static void named(Path report, int port) {
        AsyncUdpConnection c = new AsyncUdpConnection("udp://localhost:" + port);
        c.onConnect(x -> report(report, "named onConnect remote=" + x.getRemoteIp()));
        c.onMessage((x, data) -> report(report, "named heard " + new String((byte[]) data, StandardCharsets.UTF_8)));
        c.send("by name");
        AsyncTcpConnection tcp = new AsyncTcpConnection("text://localhost:" + Integer.getInteger("app.tcp"));
        tcp.onMessage((x, line) -> report(report, "named tcp heard " + line));
        tcp.send("by name too");
        tcp.connect();
    }

    /** A frame:// client sent a datagram its protocol cannot decode: dropped and logged, not told as a send that failed. */
    private static void undecodable(Path report, int port) {
        AsyncUdpConnection c = new AsyncUdpConnection("frame://127.0.0.1:" + port);
        c.onMessage((x, data) -> report(report, "undecodable heard " + data));
        c.onError((x, code, message) -> report(report, "undecodable onError " + code + " " + message));
        c.send("short");
    }

    /** A text:// client decodes a datagram without a line's end as the whole text, as Workerman's. */
    private static void bare(Path report, int port) {
        AsyncUdpConnection c = new AsyncUdpConnection("text://127.0.0.1:" + port);
        c.onMessage((x, line) -> report(report, "bare heard " + line));
        c.sendRaw("bare".getBytes(StandardCharsets.UTF_8));
    }

    /** A text:// worker over transport udp: a datagram of two lines is two messages, and a rest without its end is dropped. */
    private static void lines(Path report, int port) {
        AsyncUdpConnection c = new AsyncUdpConnection("text://127.0.0.1:" + port);
        c.onMessage((x, line) -> report(report, "lines heard " + line));
        c.sendRaw("one\r\ntwo\nunfinished".getBytes(StandardCharsets.UTF_8));
    }

    /** A protocol that throws on a datagram loses that datagram only: the next one is answered. */
    private static void picky(Path report, int port) {
        AsyncUdpConnection c = new AsyncUdpConnection("udp://127.0.0.1:" + port);
        c.onMessage((x, data) -> report(report, "picky heard " + new String((byte[]) data, StandardCharsets.UTF_8)));
        c.send("!boom\n");
        c.send("fine\n");
    }

    /** Text, but a line that starts with ! is more than it can take. */
    private static final class Picky implements Protocol {
        private final Text text = new Text();

        @Override
        public int input(ByteBuffer buffer, Connection connection) {
            if (buffer.remaining() > 0 && buffer.get(buffer.position()) == '!') {
                throw new IllegalStateException("picky cannot take a line that starts with !");
            }
            return text.input(buffer, connection);
        }

        @Override
        public Object decode(byte[] packet, Connection connection) {
            return text.decode(packet, connection);
        }

        @Override
        public byte[] encode(Object data, Connection connection) {
            return text.encode(data, connection);
        }
    }

    private static void bad(Path report) {
        for (String address : new String[] {"http://127.0.0.1:80", "udp://127.0.0.1", "nosuch://127.0.0.1:9"}) {
            try {
                new AsyncUdpConnection(address);
                report(report, "bad accepted " + address);
            } catch (IllegalArgumentException e) {
                report(report, "bad " + e.getMessage());
            }
        }
    }

    private static byte[] concat(String prefix, byte[] data) {
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + data.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(data, 0, all, head.length, data.length);
        return all;
    }

    private static void report(Path report, String line) {
        try {
            Files.writeString(report, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
