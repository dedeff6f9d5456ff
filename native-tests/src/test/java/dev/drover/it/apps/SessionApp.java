package dev.drover.it.apps;

import dev.drover.Timer;
import dev.drover.Worker;
import dev.drover.http.RedisSessionHandler;
import dev.drover.http.Request;
import dev.drover.http.Response;
import dev.drover.http.Session;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Two http:// groups, "a" and "b" (a worker each, kernel-chosen ports), sharing sessions in the
 * directory app.sessions, or in Redis when it is a redis:// address. Paths: /count adds one to the session's n and answers "n=N new=B";
 * /late answers the same from a timer; /hints sends a 103 first; /response answers with a Response of its own; /login gives
 * the session a new id; /mark?k=K sets K and /size counts the names; /logout flushes it; /guarded answers a session that cannot be read with a 503
 * naming why; /plain does not touch the session. A third group, "ws" (websocket), counts
 * in onWebSocketConnect and sends the answer as its first message.
 */
public final class SessionApp {
    private SessionApp() {}

    public static void main(String[] args) {
        String sessions = System.getProperty("app.sessions");
        if (sessions.startsWith("redis://")) {
            Session.setHandler(new RedisSessionHandler(sessions));
        } else {
            Session.setSavePath(Path.of(sessions));
        }
        for (String name : new String[] {"a", "b"}) {
            Worker web = new Worker("http://127.0.0.1:0").setName(name);
            web.onMessage((connection, data) -> {
                Request request = (Request) data;
                switch (request.path()) {
                    case "/plain" -> connection.send("plain");
                    case "/login" -> connection.send("id=" + request.session().regenerateId().getId());
                    case "/late" -> {
                        String answer = count(request.session());
                        Timer.once(0.05, () -> connection.send(answer));
                    }
                    case "/hints" -> { // the session set, then a 103: the final answer carries the cookie
                        String answer = count(request.session());
                        connection.send(new Response(103).header("Link", "</a.css>; rel=preload"));
                        connection.send(answer);
                    }
                    case "/guarded" -> { // a session's store that cannot be reached answers 503, naming it
                        try {
                            connection.send(count(request.session()));
                        } catch (UncheckedIOException e) {
                            connection.send(new Response(503, Map.of(), e.getMessage()));
                        }
                    }
                    case "/mark" -> connection.send(request.session().set(request.query("k").orElseThrow(), "1").all().size() + "");
                    case "/size" -> connection.send(request.session().all().size() + "");
                    case "/logout" -> connection.send("left " + request.session().flush().all());
                    case "/response" -> connection.send(new Response(201, Map.of("X-Mine", "1"), count(request.session())));
                    default -> connection.send(count(request.session()));
                }
            });
        }
        Worker ws = new Worker("websocket://127.0.0.1:0").setName("ws");
        ws.onWebSocketConnect((connection, request) -> connection.send(count(request.session())));
        Worker.runAll(args);
    }

    private static String count(Session session) {
        int n = Integer.parseInt(session.get("n", "0")) + 1;
        session.set("n", Integer.toString(n));
        return "n=" + n + " new=" + session.isNew();
    }
}
