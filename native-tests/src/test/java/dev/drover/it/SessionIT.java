package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.SessionApp;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * request.session(), as Workerman's: a client without a session cookie gets one with the answer,
 * and every worker process sees the same session through it (SessionApp's groups "a" and "b").
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionIT {
    private static final Pattern COOKIE = Pattern.compile("\r\nset-cookie: PHPSID=([0-9a-f]{32}); Max-Age=1440; Path=/; HttpOnly\r\n",
            Pattern.CASE_INSENSITIVE);
    App app;
    int a;
    int b;

    /** Where the app keeps its sessions: a directory here. */
    String sessions(Path dir) throws Exception {
        return dir.resolve("sessions").toString();
    }

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        app = new App(dir, SessionApp.class, "-Dapp.sessions=" + sessions(dir));
        app.start();
        a = app.port("a");
        b = app.port("b");
    }

    @AfterAll
    void stop() throws Exception {
        app.close();
    }

    /** The session id the answer's Set-Cookie hands out. */
    static String cookie(String answer) {
        Matcher cookie = COOKIE.matcher(answer);
        assertTrue(cookie.find(), answer);
        return cookie.group(1);
    }

    static String body(String answer) {
        return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void aNewClientGetsItsCookieAndEveryWorkerSeesItsSession() throws IOException {
        String first = Http.answer(a, "/count");
        String id = cookie(first);
        assertEquals("n=1 new=true", body(first));
        String again = Http.answer(b, "/count", "Cookie: PHPSID=" + id);
        assertEquals("n=2 new=false", body(again), "the other worker process reads what the first wrote");
        assertFalse(again.toLowerCase().contains("set-cookie"), again);
        assertEquals("n=3 new=false", body(Http.answer(a, "/count", "Cookie: theme=dark; PHPSID=" + id)));
    }

    /** A WebSocket's handshake reads the session HTTP pages wrote; one it starts is handed out by the 101. */
    @Test
    void aWebSocketHandshakeSharesTheSession() throws Exception {
        String id = cookie(Http.answer(a, "/count"));
        assertEquals("n=2 new=false", handshake("Cookie: PHPSID=" + id)[1]);
        String[] fresh = handshake(null);
        assertTrue(fresh[0].startsWith("HTTP/1.1 101"), fresh[0]);
        cookie(fresh[0]);
        assertEquals("n=1 new=true", fresh[1]);
    }

    /** The 101's head and the first message's text, for a handshake with {@code header} (or none). */
    private String[] handshake(String header) throws Exception {
        int port = app.port("ws");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String request = new String(WebSocketWire.handshake(port), StandardCharsets.US_ASCII);
            if (header != null) {
                request = request.replace("\r\n\r\n", "\r\n" + header + "\r\n\r\n");
            }
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String[] {WebSocketWire.head(in), new String(WebSocketWire.next(in).payload(), StandardCharsets.UTF_8)};
        }
    }

    @Test
    void theCookieGoesOnEveryKindOfAnswer() throws IOException {
        String late = Http.answer(a, "/late");
        assertEquals("n=1 new=true", body(late), "an answer sent later, from a timer");
        cookie(late);
        String own = Http.answer(b, "/response");
        assertTrue(own.startsWith("HTTP/1.1 201 Created\r\n"), own);
        assertTrue(own.toLowerCase().contains("\r\nx-mine: 1\r\n"), own);
        assertEquals("n=1 new=true", body(own));
        cookie(own);
        assertFalse(Http.answer(a, "/plain").toLowerCase().contains("set-cookie"), "no session, no cookie");
        String hinted = Http.answer(a, "/hints");
        assertTrue(hinted.startsWith("HTTP/1.1 103 Early Hints\r\n"), hinted);
        int last = hinted.indexOf("HTTP/1.1 200 OK\r\n");
        assertTrue(last > 0, hinted);
        assertFalse(hinted.substring(0, last).toLowerCase().contains("set-cookie"), "not on the 103: " + hinted);
        cookie(hinted.substring(last));
    }

    /**
     * Pipelined requests are answered in order (RFC 9112 9.3.2), the first from a timer: the next
     * waits for its answer, and the session's cookie goes on the answer to the request that set it.
     */
    @Test
    void pipelinedRequestsAreAnsweredInOrderEachWithItsOwnCookie() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", a)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /late HTTP/1.1\r\nHost: x\r\n\r\nGET /plain HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String both = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int second = both.indexOf("HTTP/1.1 200", 1);
            assertTrue(second > 0, both);
            cookie(both.substring(0, second));
            assertTrue(both.substring(0, second).endsWith("n=1 new=true"), both);
            assertFalse(both.substring(second).toLowerCase().contains("set-cookie"), both);
            assertTrue(both.endsWith("plain"), both);
        }
    }

    @Test
    void aCookieForNoSessionGetsANewIdAndLoginGivesANewOne() throws IOException {
        String planted = "0123456789abcdef0123456789abcdef";
        String answer = Http.answer(a, "/count", "Cookie: PHPSID=" + planted);
        assertEquals("n=1 new=true", body(answer));
        String id = cookie(answer);
        assertNotEquals(planted, id, "nobody chooses another's session id");
        Http.answer(b, "/count", "Cookie: PHPSID=" + id);
        String login = Http.answer(b, "/login", "Cookie: PHPSID=" + id);
        String renewed = cookie(login);
        assertEquals("id=" + renewed, body(login));
        assertNotEquals(id, renewed);
        assertEquals("n=3 new=false", body(Http.answer(a, "/count", "Cookie: PHPSID=" + renewed)), "the values moved with it");
        assertEquals("n=1 new=true", body(Http.answer(a, "/count", "Cookie: PHPSID=" + id)), "the old id is gone");
    }

    /** A logout empties the session, which ends it: its cookie starts a new session next time. */
    @Test
    void aLogoutEndsTheSession() throws IOException {
        String id = cookie(Http.answer(a, "/count"));
        assertEquals("left {}", body(Http.answer(b, "/logout", "Cookie: PHPSID=" + id)));
        String after = Http.answer(a, "/count", "Cookie: PHPSID=" + id);
        assertEquals("n=1 new=true", body(after));
        assertNotEquals(id, cookie(after));
    }

    /** Two workers setting names in one session at the same time keep every one: a change is made under the session's lock. */
    @Test
    void twoWorkersChangingOneSessionAtOnceKeepBothChanges() throws Exception {
        String id = cookie(Http.answer(a, "/count"));
        int each = 150;
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.List<java.util.concurrent.Future<Object>> done = new java.util.ArrayList<>();
            for (String side : new String[] {"a", "b"}) {
                int port = side.equals("a") ? a : b;
                done.add(clients.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        Http.answer(port, "/mark?k=" + side + i, "Cookie: PHPSID=" + id);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<Object> side : done) {
                side.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(String.valueOf(2 * each + 1), body(Http.answer(a, "/size", "Cookie: PHPSID=" + id)), "n and every mark");
    }
}
