package dev.drover.it.apps;

import dev.drover.AsyncTcpConnection;
import dev.drover.Timer;
import dev.drover.WebSocketClose;
import dev.drover.WebSocketPing;
import dev.drover.WebSocketPong;
import dev.drover.Worker;
import dev.drover.http.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One websocket:// group, "hooks" (count 1, a kernel-chosen port), with onWebSocketPing,
 * onWebSocketPong and onWebSocketClose. A ping is answered by send (its payload as the pong's),
 * "typed" with a WebSocketPong, "silent" not at all, "long" tries 200 bytes and tells what that threw, "throw" throws (the worker exits 250). A pong is told back as a text message. A
 * close whose reason is "last words" gets a message and a close 4003; any other gets "noted CODE
 * REASON" and drover's own answer. Messages: "ping me" sends a WebSocketPing, "ping too big" tells
 * what a 126-byte one throws, "pause" holds what follows for 0.2 s, "dial" exchanges pings
 * with a ws:// client of its own (see {@link #dial}), "dial report?" tells what each side's hooks saw;
 * "dial close" opens a ws:// client that closes once connected, and "close report?" tells the code
 * of the last close frame this group's hook saw.
 */
public final class WebSocketHooksApp {
    private static volatile String lastPing = "none";
    private static volatile String clientPong = "none";
    private static volatile String clientPing = "none";
    private static volatile String clientHeard = "none";
    private static volatile String clientClosed = "none";
    private static volatile boolean clientGone;
    private static volatile String lastClose = "none";

    private WebSocketHooksApp() {}

    public static void main(String[] args) {
        Worker hooks = new Worker("websocket://127.0.0.1:0").setName("hooks");
        hooks.onWebSocketPing((connection, payload) -> {
            String text = new String(payload, StandardCharsets.UTF_8);
            lastPing = text;
            switch (text) {
                case "silent" -> { }
                case "throw" -> throw new IllegalStateException("the ping hook fails");
                case "long" -> { // more than a pong carries: refused in the caller
                    try {
                        connection.send("x".repeat(200));
                    } catch (IllegalArgumentException tooLong) {
                        Timer.once(0.01, () -> connection.send(tooLong.getMessage())); // once the hook returned: a message again
                    }
                }
                case "typed" -> connection.send(new WebSocketPong(("typed " + text).getBytes(StandardCharsets.UTF_8)));
                default -> connection.send(payload); // a pong here, as in Workerman
            }
        });
        String dir = System.getProperty("app.dir"); // where onClose leaves a mark for each connection
        if (dir != null) {
            hooks.onClose(connection -> Files.writeString(Path.of(dir, "closed-" + connection.getId()), ""));
        }
        hooks.onWebSocketPong((connection, payload) -> connection.send("pong " + new String(payload, StandardCharsets.UTF_8)));
        hooks.onWebSocketClose((connection, code, reason) -> {
            lastClose = Integer.toString(code);
            if (reason.equals("last words")) {
                connection.send("goodbye " + code);
                connection.close(new WebSocketClose(4003, "after last words"));
            } else {
                connection.send("noted " + code + " " + reason);
            }
        });
        hooks.onMessage((connection, data) -> {
            switch ((String) data) {
                case "ping me" -> connection.send(new WebSocketPing("are you there".getBytes(StandardCharsets.UTF_8)));
                case "ping too big" -> {
                    try {
                        connection.send(new WebSocketPing(new byte[126]));
                    } catch (IllegalArgumentException tooBig) {
                        connection.send(tooBig.getMessage());
                    }
                }
                case "pause" -> {
                    connection.pauseRecv();
                    Timer.once(0.2, () -> {
                        connection.send("resuming");
                        connection.resumeRecv();
                    });
                }
                case "dial" -> dial(connection.getLocalPort());
                case "dial close" -> {
                    lastClose = "none"; // only this client's close counts
                    AsyncTcpConnection closing = new AsyncTcpConnection("ws://127.0.0.1:" + connection.getLocalPort() + "/");
                    closing.onConnect(c -> c.close());
                    closing.connect();
                }
                case "close report?" -> connection.send("last close " + lastClose);
                case "dialled" -> connection.send(new WebSocketPing("to the client".getBytes(StandardCharsets.UTF_8)));
                case "close me" -> connection.send(new WebSocketClose(4005, "done"));
                case "dial report?" -> connection.send("server ping " + lastPing + "; client pong " + clientPong
                        + "; client ping " + clientPing + "; client heard " + clientHeard + "; client closed " + clientClosed
                        + (clientGone ? ", gone" : ""));
                default -> connection.send("echo: " + data);
            }
        });
        own();
        Worker.runAll(args);
    }

    /**
     * Group "own": no hooks on the worker; each connection gets its own in onConnect, as the
     * Workerman manual sets {@code $connection->onWebSocketConnect}. The handshake to /refuse gets a
     * 403; another is greeted with its path; a close frame is noted. Messages: "ping me" pings;
     * "hook pings" and "hook pongs" set a ping or pong hook now that it is open (the pong hook tells
     * a pong back as "own pong"); "connect hook?" tells what setting onWebSocketConnect now throws.
     */
    private static void own() {
        Worker own = new Worker("websocket://127.0.0.1:0").setName("own");
        own.onConnect(connection -> {
            connection.onWebSocketConnect((c, request) -> {
                if (request.path().equals("/refuse")) {
                    c.close(new Response(403, Map.of(), "not here"));
                } else {
                    c.send("hello " + request.path());
                }
            });
            connection.onWebSocketClose((c, code, reason) -> c.send("own noted " + code));
        });
        own.onMessage((connection, data) -> {
            switch ((String) data) {
                case "ping me" -> connection.send(new WebSocketPing("own".getBytes(StandardCharsets.UTF_8)));
                case "hook pings" -> {
                    connection.onWebSocketPing((c, payload) -> c.send("late " + new String(payload, StandardCharsets.UTF_8)));
                    connection.send("hooked");
                }
                case "hook pongs" -> {
                    connection.onWebSocketPong((c, payload) -> c.send("own pong " + new String(payload, StandardCharsets.UTF_8)));
                    connection.send("hooked");
                }
                case "connect hook?" -> {
                    try {
                        connection.onWebSocketConnect((c, request) -> { });
                    } catch (IllegalStateException late) {
                        connection.send(late.getMessage());
                    }
                }
                default -> connection.send("own echo: " + data);
            }
        });
    }

    /**
     * A ws:// client of this worker with ping and pong hooks: it pings, the server's hook answers;
     * the server pings it back ("dialled"), its hook answers, and the server's pong hook tells it so;
     * it asks to be closed, and its close hook sees the server's close frame.
     */
    private static void dial(int port) {
        AsyncTcpConnection client = new AsyncTcpConnection("ws://127.0.0.1:" + port + "/");
        client.onMessage((self, data) -> {
            clientHeard = (String) data;
            self.send("close me");
        });
        client.onWebSocketClose((self, code, reason) -> clientClosed = code + " " + reason); // drover answers it
        client.onClose(self -> clientGone = true);
        client.onConnect(self -> { // the ping and pong hooks set once connected, not before connect()
            client.onWebSocketPong((me, payload) -> clientPong = new String(payload, StandardCharsets.UTF_8));
            client.onWebSocketPing((me, payload) -> {
                clientPing = new String(payload, StandardCharsets.UTF_8);
                me.send(payload); // a pong
            });
            self.send(new WebSocketPing("from a client".getBytes(StandardCharsets.UTF_8)));
            self.send("dialled");
        });
        client.connect();
    }
}
