package dev.drover.it.apps;

import dev.drover.Connection;
import dev.drover.SendStatus;
import dev.drover.Timer;
import dev.drover.WebSocketClose;
import dev.drover.WebSocketPing;
import dev.drover.Worker;
import dev.drover.http.Chunk;
import dev.drover.http.Request;
import dev.drover.http.Response;
import dev.drover.http.ServerSentEvent;
import dev.drover.http.UploadedFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One group per protocol, on kernel-chosen ports: "web" (http), "ws" (websocket), "line" (text),
 * "frames" (frame), "raw" (tcp), "udp", "web6" (http on [::1]), and "unix" at the path app.unix
 * when set. See the paths below for what http answers.
 */
public final class ProtocolsApp {
    /** The connection whose request /hold left unanswered. */
    private static final AtomicReference<Connection> HELD = new AtomicReference<>();

    private ProtocolsApp() {}

    public static void main(String[] args) {
        Worker web = new Worker("http://127.0.0.1:0").setName("web");
        web.onMessage((connection, data) -> http(connection, (Request) data));

        Worker ws = new Worker("websocket://127.0.0.1:0").setName("ws").setWebSocketProtocols("chat", "superchat");
        ws.onWebSocketConnect((connection, request) -> {
            switch (request.path()) { // refusals before the 101, as Workerman's
                case "/refuse" -> connection.close("dropped with the handshake");
                case "/forbidden" -> connection.close(new Response(403, Map.of("X-Why", "a test"), "not for you\n"));
                case "/raw" -> {
                    connection.sendRaw("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    connection.close();
                }
                case "/cookie" -> {
                    connection.addWebSocketHeader("Set-Cookie", "sid=7; HttpOnly").addWebSocketHeader("Sec-WebSocket-Protocol", "mine")
                            .send("cookie set");
                    try {
                        connection.addWebSocketHeader("Sec-WebSocket-Accept", "bogus");
                    } catch (IllegalArgumentException own) {
                        connection.send(own.getMessage());
                    }
                }
                case "/flood" -> connection.sendRaw(new byte[16 << 20]); // more than a client that does not read lets through: the 101 waits
                case "/many" -> { // past maxSendBufferSize in many sends, none of them past it alone
                    for (int i = 0; i < 20; i++) {
                        connection.put("after", connection.send("m".repeat(60_000)) + ", full " + connection.bufferIsFull());
                    }
                }
                case "/headers" -> connection.send("content-length " + request.header("content-length").orElse("none"));
                case "/big" -> { // over maxSendBufferSize before the 101: kept, as Workerman keeps it; the next send is dropped
                    connection.send("b".repeat(2_000_000));
                    connection.put("after", connection.send("c") + ", full " + connection.bufferIsFull());
                }
                default -> connection.send("hello " + request.path() + " " + request.header("x-test").orElse("-"));
            }
        });
        ws.onBufferFull(connection -> connection.put("fulls", connection.get("fulls") == null ? 1 : (int) connection.get("fulls") + 1));
        ws.onBufferDrain(connection -> connection.put("drains", connection.get("drains") == null ? 1 : (int) connection.get("drains") + 1));
        ws.onMessage((connection, data) -> {
            if ("after?".equals(data)) {
                connection.send("after " + connection.get("after") + ", onBufferFull " + connection.get("fulls") + ", onBufferDrain " + connection.get("drains"));
            } else if ("late header".equals(data)) {
                try {
                    connection.addWebSocketHeader("X-Late", "1");
                } catch (IllegalStateException late) {
                    connection.send(late.getMessage());
                }
            } else if ("close please".equals(data)) {
                connection.send(new WebSocketClose(4001, "bye"));
            } else if ("limit".equals(data)) { // a limit of its own, lower than the worker's: the next message past it closes with 1009
                connection.setMaxPackageSize(100);
                connection.send("limited to 100");
            } else if (data instanceof String text) {
                connection.send("echo: " + text);
            } else {
                connection.send((byte[]) data);
            }
        });

        String dir = System.getProperty("app.dir"); // where the ws group marks its closes and its stop, in order (System.nanoTime)
        if (dir != null) {
            ws.onClose(connection -> Files.writeString(Path.of(dir, "ws-closed-" + System.nanoTime()), ""));
            ws.onWorkerStop(w -> Files.writeString(Path.of(dir, "ws-stopped-" + System.nanoTime()), ""));
        }

        Worker line = new Worker("text://127.0.0.1:0").setName("line");
        long[] ticks = {0};
        boolean[] gateOpened = {false};
        line.onWorkerStart(w -> Timer.add(0.05, () -> ticks[0]++));
        line.onMessage((connection, data) -> {
            if (data.equals("quit")) {
                connection.close("bye");
            } else if (data.equals("gate")) { // no new connection is accepted for 0.2 s
                connection.getWorker().pauseAccept();
                connection.send("gated");
                Timer.once(0.2, () -> {
                    gateOpened[0] = true;
                    connection.getWorker().resumeAccept();
                });
            } else if (data.equals("bytes?")) {
                connection.send(connection.getBytesRead() + " read, " + connection.getBytesWritten() + " written, empty "
                        + connection.bufferIsEmpty());
            } else if (data.equals("about")) {
                Worker self = connection.getWorker();
                Worker.log("asked about " + self.getName());
                connection.send(Worker.getAllWorkers().contains(self) + " " + self.getSocketName() + " " + self.isStopping());
            } else if (data.equals("opened?")) {
                connection.send("opened " + gateOpened[0]);
            } else if (data.equals("pause")) { // what came after it waits until resumed
                connection.pauseRecv();
                connection.send("paused");
                Timer.once(0.2, () -> {
                    connection.send("resuming");
                    connection.resumeRecv();
                });
            } else if (data.equals("ping")) { // a WebSocket frame on a text connection: refused in the caller
                try {
                    connection.send(new WebSocketPing());
                } catch (IllegalArgumentException refused) {
                    connection.send(refused.getMessage());
                }
            } else if (data.equals("null")) { // as send(""), as Workerman's: an empty line
                connection.send((Object) null);
            } else if (data.equals("queue")) { // a send from a callback waits for its end: the next one sees it queued
                connection.send("x".repeat(100_000));
                connection.send("queued " + connection.getSendBufferQueueSize());
            } else {
                connection.send(data.equals("ticks") ? "ticks " + ticks[0] + " timers " + Timer.count() : "echo: " + data);
            }
        });
        Worker frames = new Worker("frame://127.0.0.1:0").setName("frames");
        frames.onMessage((connection, data) -> connection.send((byte[]) data));
        Worker raw = new Worker("tcp://127.0.0.1:0").setName("raw");
        raw.onMessage((connection, data) -> connection.send((byte[]) data));
        Worker udp = new Worker("udp://127.0.0.1:0").setName("udp");
        udp.onMessage((connection, data) -> {
            if (new String((byte[]) data).equals("big")) { // a datagram too large to send: the sender hears why
                SendStatus big = connection.send(new byte[70_000]);
                connection.send("big: " + big);
            } else if (((byte[]) data).length > 1000) {
                connection.send("udp got " + ((byte[]) data).length + " bytes");
            } else {
                connection.send("udp echo: " + new String((byte[]) data) + " from " + connection.getRemotePort());
            }
        });
        udp.onError((connection, code, message) -> connection.send("error " + code + ": " + message));
        // Timeouts short enough to see: a request must come within 1 s, a kept connection waits 1.5 s for the next.
        Worker timed = new Worker("http://127.0.0.1:0").setName("timed").setRequestTimeout(1).setKeepAliveTimeout(1.5);
        timed.onMessage((connection, data) -> {
            Request request = (Request) data;
            if (request.path().equals("/slow")) { // answered after both timeouts: an answer owed is not timed
                Timer.once(2.5, () -> connection.send("slow answer"));
            } else if (request.path().equals("/huge")) { // more than a client that does not read lets through
                connection.send(new byte[16 << 20]);
            } else {
                connection.send("ok " + request.bodyBytes().length);
            }
        });
        Worker web6 = new Worker("http://[::1]:0").setName("web6");
        web6.onMessage((connection, data) -> connection.send("v6 " + connection.getRemoteIp() + " " + connection.isIpV6()
                + " " + connection.getRemoteAddress().startsWith("[::1]:") + " " + connection.getLocalAddress()));
        if (System.getProperty("app.unix") != null) {
            Worker unix = new Worker("unix://" + System.getProperty("app.unix")).setName("unix");
            unix.onMessage((connection, data) -> connection.send("unix echo: " + new String((byte[]) data)));
        }
        Worker.runAll(args);
    }

    private static void http(Connection connection, Request request) {
        switch (request.path()) {
            case "/form" -> connection.send("form " + new TreeMap<>(request.form()) + " files " + files(request));
            case "/cookie" -> connection.send(new Response(200).cookie("session", "s3cret")
                    .body("cookies " + new TreeMap<>(request.cookies())));
            case "/status" -> connection.send(new Response(418).header("X-Drover", "yes").body("teapot"));
            case "/ws-hook" -> { // a WebSocket's hook on an HTTP connection: refused, naming the connection
                try {
                    connection.onWebSocketPing((c, payload) -> { });
                } catch (IllegalStateException refused) {
                    connection.send(refused.getMessage());
                }
            }
            case "/file" -> connection.send(new Response(200).header("Content-Type", "text/plain")
                    .file(Path.of(request.query("path").orElseThrow())));
            case "/typed" -> connection.send(new Response(200).file(Path.of(request.query("path").orElseThrow())));
            case "/chunked" -> {
                connection.send(new Response(200).header("Transfer-Encoding", "chunked").body("zero "));
                SendStatus second = connection.send(new Response(200).body("a second answer while the first streams"));
                connection.send(new Chunk("one (second answer: " + second + ") "));
                connection.send(new Chunk("two "));
                connection.send(new Chunk("three"));
                connection.send(new Chunk(""));
            }
            case "/sse" -> {
                connection.send(new Response(200).header("Content-Type", "text/event-stream"));
                for (int i = 1; i <= 3; i++) {
                    connection.send(new ServerSentEvent("tick", "n=" + i, Integer.toString(i), 0));
                }
                connection.send(new Chunk(""));
            }
            case "/close" -> connection.close("closing");
            case "/huge" -> connection.send(new byte[16 << 20]); // more than a client that does not read lets through
            case "/stream-later" -> { // a stream whose end comes from a timer; a raw answer inside it is refused
                connection.send(new Response(200).header("Transfer-Encoding", "chunked").body("early "));
                SendStatus raw = connection.sendRaw("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                Timer.once(0.2, () -> {
                    connection.send(new Chunk("raw inside: " + raw));
                    connection.send(new Chunk(""));
                });
            }
            case "/hold" -> HELD.set(connection); // answered by /release, on another connection
            case "/release" -> {
                Connection held = HELD.getAndSet(null);
                held.send("held, having read " + held.getBytesRead() + " bytes");
                connection.send("released");
            }
            case "/raw" -> connection.sendRaw("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nraw".getBytes(StandardCharsets.US_ASCII));
            case "/null" -> connection.send((Object) null); // as send(""), as Workerman's
            case "/json" -> connection.send(new Response(200).header("Content-Type", "application/json")
                    .body(request.isJson() ? request.body() : "{}"));
            default -> connection.send(request.method() + " " + request.path() + " " + request.queryParameters());
        }
    }

    private static String files(Request request) {
        StringBuilder out = new StringBuilder();
        for (UploadedFile file : request.files().keySet().stream().flatMap(field -> request.files(field).stream()).toList()) {
            out.append(file.field()).append('=').append(file.fileName()).append(':').append(file.size()).append(':')
                    .append(new String(file.content())).append(';');
        }
        return out.toString();
    }
}
