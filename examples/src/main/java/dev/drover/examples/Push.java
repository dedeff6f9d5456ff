package dev.drover.examples;

import dev.drover.Connection;
import dev.drover.WebSocketClose;
import dev.drover.Worker;
import dev.drover.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The push service from Workerman's manual. Browsers connect to websocket://0.0.0.0:1234 and
 * send their uid first; a line of JSON {"uid": "...", "percent": "..."} sent to
 * text://0.0.0.0:5678 is pushed to that uid's browser, and the sender gets "ok" or "fail". The
 * page with the browser side is served at http://0.0.0.0:8080/.
 *
 * <pre>printf '{"uid":"1","percent":"88%%"}\n' | nc 127.0.0.1 5678</pre>
 *
 * <p>{@code -Dpush.count=4} runs it on several processes ({@link PushCluster}), and
 * {@code -Dpush.channel=redis://host:port} on several hosts.
 */
public final class Push {
    private static final Pattern FIELD = Pattern.compile("\"(uid|percent)\"\\s*:\\s*\"?([^\",}]*)\"?");

    private Push() {}

    public static void main(String[] args) {
        int count = Integer.getInteger("push.count", 1);
        String channel = System.getProperty("push.channel");
        if (count > 1 || channel != null) {
            PushCluster.declare(count, channel == null ? "127.0.0.1:2206" : channel);
        } else {
            declareSingleProcess();
        }
        Worker.runAll(args);
    }

    /** The manual's version: one process holds every browser, so a push needs no channel. */
    private static void declareSingleProcess() {
        Map<String, Connection> browsers = new HashMap<>(); // uid -> connection, in this (count 1) process
        Worker push = new Worker(System.getProperty("push.websocket", "websocket://0.0.0.0:1234"));
        push.setName("push").setCount(1);
        push.onMessage((connection, uid) -> register(browsers, connection, uid, ""));
        push.onClose(connection -> forget(browsers, connection));
        push.onWorkerStart(worker -> {
            // The manual's rule: listen() inside onWorkerStart listens in this process, next to the map.
            Worker inner = new Worker(System.getProperty("push.text", "text://0.0.0.0:5678"));
            inner.onMessage((sender, line) -> {
                Map<String, String> message = parse((String) line);
                Connection browser = browsers.get(message.get("uid"));
                if (browser != null && message.containsKey("percent")) {
                    browser.send(message.get("percent"));
                    sender.send("ok");
                } else {
                    sender.send("fail");
                }
            });
            inner.listen();
            page().listen();
        });
    }

    /** A browser's first message is its uid, kept on its connection as the manual keeps {@code $connection->uid}. */
    static void register(Map<String, Connection> browsers, Connection connection, Object message, String where) {
        if (!(message instanceof String uid)) { // a binary frame is byte[]: refused, not a ClassCastException that ends the worker
            connection.send(new WebSocketClose(1003, "send the uid as a text frame"));
        } else if (connection.get("uid") == null) {
            connection.put("uid", uid);
            browsers.put(uid, connection);
            connection.send("registered as uid " + uid + where);
        }
    }

    /** A browser left: its uid no longer reaches it (unless another browser registered that uid since). */
    static void forget(Map<String, Connection> browsers, Connection connection) {
        String uid = connection.get("uid");
        if (uid != null) {
            browsers.remove(uid, connection);
        }
    }

    /** The browser page, served at push.http. */
    static Worker page() {
        Worker page = new Worker(System.getProperty("push.http", "http://0.0.0.0:8080")).setName("push-page");
        String html = resource("push.html");
        page.onMessage((connection, request) -> connection.send(new Response(200)
                .header("Content-Type", "text/html; charset=utf-8").body(html)));
        return page;
    }

    /** The two string fields of {"uid": "...", "percent": "..."}. */
    static Map<String, String> parse(String json) {
        Map<String, String> fields = new HashMap<>();
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            fields.put(m.group(1), m.group(2).trim());
        }
        return fields;
    }

    private static String resource(String name) {
        try (InputStream in = Push.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
