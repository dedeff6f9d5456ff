package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.SessionApp;
import java.io.IOException;
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
    private App app;
    private int a;
    private int b;

    @BeforeAll
    void start(@TempDir Path dir) {
        app = new App(dir, SessionApp.class, "-Dapp.sessions=" + dir.resolve("sessions"));
        app.start();
        a = app.port("a");
        b = app.port("b");
    }

    @AfterAll
    void stop() {
        app.close();
    }

    /** The session id the answer's Set-Cookie hands out. */
    private static String cookie(String answer) {
        Matcher cookie = COOKIE.matcher(answer);
        assertTrue(cookie.find(), answer);
        return cookie.group(1);
    }

    private static String body(String answer) {
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
}
