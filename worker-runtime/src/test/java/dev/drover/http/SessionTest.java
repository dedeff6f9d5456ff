package dev.drover.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions as Workerman's: a cookie names a file of values, shared by every worker, kept for its lifetime after its last use. */
class SessionTest {
    @TempDir
    Path dir;
    private Path sessions;

    @BeforeEach
    void useATemporaryDirectory() {
        sessions = dir.resolve("sessions");
        Session.setSavePath(sessions);
    }

    @AfterEach
    void restoreTheDefaults() {
        Session.use(SessionSettings.DEFAULTS);
    }

    private static Request withCookie(String cookie) {
        return new Request("GET", "/", cookie == null ? Map.of() : Map.of("cookie", List.of(cookie)), new byte[0]);
    }

    private Path file(Session session) {
        return sessions.resolve("ses_" + session.getId());
    }

    @Test
    void aClientWithoutACookieGetsANewSessionAndItsCookieOnceItHoldsSomething() throws Exception {
        Request request = withCookie(null);
        Session session = request.session();
        assertTrue(session.isNew());
        assertTrue(session.getId().matches("[0-9a-f]{32}"), session.getId());
        assertNull(request.sessionCookie(), "nothing set, nothing to keep: no cookie");
        assertFalse(Files.exists(sessions), "and no file");
        assertNull(session.get("uid"));
        session.set("uid", "7");
        assertEquals("PHPSID=" + session.getId() + "; Max-Age=1440; Path=/; HttpOnly", request.sessionCookie());
        assertTrue(Files.exists(file(session)), "written at once, so the next request finds it");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sessions)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file(session))));
        assertEquals(session, request.session(), "one session a request");
    }

    @Test
    void theNextRequestWithTheCookieSeesWhatWasSet() {
        Session first = withCookie(null).session().set("uid", "7").put(Map.of("name", "小明"));
        Request next = withCookie("other=1; PHPSID=" + first.getId());
        Session again = next.session();
        assertFalse(again.isNew());
        assertNull(next.sessionCookie(), "the client has its cookie");
        assertEquals(Map.of("uid", "7", "name", "小明"), again.all());
        assertEquals("7", again.pull("uid"));
        assertNull(withCookie("PHPSID=" + first.getId()).session().get("uid"), "pulled: gone for the next request too");
        assertEquals("none", again.get("uid", "none"));
        assertTrue(again.has("name"));
        again.flush();
        assertFalse(Files.exists(file(again)), "a session left with nothing in it is removed");
        Session after = withCookie("PHPSID=" + first.getId()).session();
        assertTrue(after.isNew());
        assertEquals(Map.of(), after.all());
    }

    /** A cookie names a file: one that could name another path, or a session that is not there, gets a new session. */
    @Test
    void aCookieForNoSessionGetsANewOneNotThatId() {
        for (String planted : new String[] {"../../etc/passwd", "abc", "0123456789abcdef0123456789abcdef", ""}) {
            Request request = withCookie("PHPSID=" + planted);
            Session session = request.session().set("a", "1");
            assertTrue(session.isNew(), planted);
            assertNotEquals(planted, session.getId());
            assertTrue(request.sessionCookie().startsWith("PHPSID=" + session.getId() + ";"));
        }
    }

    @Test
    void aSessionPastItsLifetimeIsGoneAndOneInUseIsKept() throws Exception {
        Session.setLifetime(Duration.ofSeconds(100));
        Session old = withCookie(null).session().set("a", "1");
        Files.setLastModifiedTime(file(old), FileTime.fromMillis(System.currentTimeMillis() - 101_000));
        assertTrue(withCookie("PHPSID=" + old.getId()).session().isNew());
        SessionFiles.sweep(sessions, Duration.ofSeconds(100)); // a read, holding no lock, leaves the file to the sweep
        assertFalse(Files.exists(file(old)));

        Session used = withCookie(null).session().set("a", "1");
        Files.setLastModifiedTime(file(used), FileTime.fromMillis(System.currentTimeMillis() - 90_000));
        assertEquals("1", withCookie("PHPSID=" + used.getId()).session().get("a"), "read within its lifetime");
        long touched = Files.getLastModifiedTime(file(used)).toMillis();
        assertTrue(System.currentTimeMillis() - touched < 10_000, "a read touches it: its lifetime counts from its last use");

        Files.setLastModifiedTime(file(used), FileTime.fromMillis(System.currentTimeMillis() - 101_000));
        SessionFiles.sweep(sessions, Duration.ofSeconds(100));
        assertFalse(Files.exists(file(used)), "swept");
    }

    /** Two holders of one session (a page and a WebSocket of one client, two workers) each keep what the other set. */
    @Test
    void aChangeIsWrittenOverWhatTheFileHoldsNow() {
        String id = withCookie(null).session().set("uid", "7").getId();
        Session page = withCookie("PHPSID=" + id).session();
        Session socket = withCookie("PHPSID=" + id).session();
        page.set("cart", "3");
        socket.set("seen", "now");
        assertEquals(Map.of("uid", "7", "cart", "3", "seen", "now"), withCookie("PHPSID=" + id).session().all());
        assertEquals(Map.of("uid", "7", "cart", "3", "seen", "now"), socket.all(), "a write brings the holder up to date");
        page.delete("uid");
        socket.set("seen", "later");
        assertEquals(Map.of("cart", "3", "seen", "later"), withCookie("PHPSID=" + id).session().all(), "a stale holder brings nothing back");
    }

    /** A logout or a login elsewhere is not undone by a holder that read the session before it. */
    @Test
    void aSessionThatEndedElsewhereGetsNoStaleValuesBack() {
        String id = withCookie(null).session().set("uid", "7").getId();
        Session socket = withCookie("PHPSID=" + id).session();
        Session login = withCookie("PHPSID=" + id).session().regenerateId();
        socket.set("seen", "now");
        assertEquals(Map.of("seen", "now"), withCookie("PHPSID=" + id).session().all(), "the old id holds only what was set since");
        assertEquals(Map.of("uid", "7"), withCookie("PHPSID=" + login.getId()).session().all());

        Session other = withCookie("PHPSID=" + login.getId()).session();
        withCookie("PHPSID=" + login.getId()).session().flush();
        other.set("seen", "now");
        assertEquals(Map.of("seen", "now"), withCookie("PHPSID=" + login.getId()).session().all(), "the logout's flush stays");
    }

    /** With a lifetime under four minutes, a read touches the file within a quarter of it, so a session in use lives on. */
    @Test
    void aShortLifetimeIsKeptByReads() throws Exception {
        Session.setLifetime(Duration.ofSeconds(30));
        Session session = withCookie(null).session().set("a", "1");
        Files.setLastModifiedTime(file(session), FileTime.fromMillis(System.currentTimeMillis() - 25_000));
        assertEquals("1", withCookie("PHPSID=" + session.getId()).session().get("a"));
        assertTrue(System.currentTimeMillis() - Files.getLastModifiedTime(file(session)).toMillis() < 10_000, "touched");
        Files.setLastModifiedTime(file(session), FileTime.fromMillis(System.currentTimeMillis() - 25_000));
        withCookie("PHPSID=" + session.getId()).session().refresh();
        assertTrue(System.currentTimeMillis() - Files.getLastModifiedTime(file(session)).toMillis() < 10_000, "refresh() touches it");
    }

    /** Points the default directory into this test's dir (the caller puts java.io.tmpdir back), with a session in it. */
    private Session sessionInDefaultDirectory(String key, String value) {
        System.setProperty("java.io.tmpdir", dir.toString());
        Session.use(SessionSettings.DEFAULTS);
        return withCookie(null).session().set(key, value);
    }

    /** The default directory is each user's own: one another user made first (here: open to all) is refused, naming it. */
    @Test
    void theDefaultDirectoryMustBeThisUsersOwnAlone() throws Exception {
        String tmp = System.getProperty("java.io.tmpdir");
        try {
            Session made = sessionInDefaultDirectory("a", "1");
            int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            Path own = dir.resolve("drover-sessions-" + uid);
            assertTrue(Files.exists(own.resolve("ses_" + made.getId())));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(own)));

            Path elsewhere = Files.createDirectories(dir.resolve("other"));
            System.setProperty("java.io.tmpdir", elsewhere.toString());
            Path planted = Files.createDirectory(elsewhere.resolve("drover-sessions-" + uid));
            Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxrwxrwx"));
            UncheckedIOException refused = assertThrows(UncheckedIOException.class, () -> withCookie("PHPSID=" + made.getId()).session());
            assertEquals("the session directory " + planted + " has mode 777, which lets other users in: chmod 700 it, or name your own"
                    + " with Session.setSavePath", refused.getMessage());
        } finally {
            System.setProperty("java.io.tmpdir", tmp);
        }
    }

    /**
     * The default directory removed while the worker runs (a temp cleaner), and made again by another
     * user who plants a session there: the planted file is not read, and nothing is written there.
     */
    @Test
    void aDefaultDirectoryAnotherUserMadeAgainIsRefusedWhileTheWorkerRuns() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to make a file another user's");
        String tmp = System.getProperty("java.io.tmpdir");
        try {
            Session made = sessionInDefaultDirectory("user", "alice");
            Path own = dir.resolve("drover-sessions-" + Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
            try (var files = Files.list(own)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(own);
            Path planted = Files.createDirectory(own);
            Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxrwxrwx"));
            Path forged = Files.write(planted.resolve("ses_" + made.getId()), SessionFiles.encode(Map.of("user", "admin")));
            Files.setAttribute(planted, "unix:uid", 65534);
            Files.setAttribute(forged, "unix:uid", 65534);

            Session read = withCookie("PHPSID=" + made.getId()).session();
            assertNull(read.get("user"), "a session file this user did not write is not read");
            UncheckedIOException refused = assertThrows(UncheckedIOException.class, () -> read.set("user", "bob"));
            assertTrue(refused.getMessage().contains(planted + " belongs to uid 65534"), refused.getMessage());
            try (var written = Files.list(planted)) {
                assertEquals(List.of(forged), written.toList(), "nothing was written there");
            }
        } finally {
            System.setProperty("java.io.tmpdir", tmp);
        }
    }

    @Test
    void regenerateIdMovesTheValuesToANewIdAndForgetsTheOld() {
        Session session = withCookie(null).session().set("cart", "3");
        Request login = withCookie("PHPSID=" + session.getId());
        Session same = login.session();
        String planted = same.getId();
        same.regenerateId();
        assertNotEquals(planted, same.getId());
        assertTrue(login.sessionCookie().startsWith("PHPSID=" + same.getId() + ";"), "the response carries the new id");
        assertTrue(withCookie("PHPSID=" + planted).session().isNew(), "the old id is worth nothing");
        assertEquals("3", withCookie("PHPSID=" + same.getId()).session().get("cart"));
    }

    @Test
    void theCookieCarriesItsSettings() {
        Session.setName("sid");
        Session.setCookieLifetime(Duration.ZERO);
        Session.setCookieParams("/app", "example.org", true, false, "Lax");
        Request request = withCookie(null);
        String id = request.session().set("a", "1").getId();
        assertEquals("sid=" + id + "; Domain=example.org; Path=/app; SameSite=Lax; Secure", request.sessionCookie());
    }

    @Test
    void badSettingsAreRefusedNamingWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Session.setName("a b")).getMessage().contains("'a b'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Session.setLifetime(Duration.ZERO)).getMessage().contains("positive"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Session.setLifetime(Duration.ofDays(3651))).getMessage()
                .contains("at most 3650 days"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Session.setCookieParams("/", "a;b", false, true, ""))
                .getMessage().contains("'a;b'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Session.setCookieParams("/", "", false, true, "lax"))
                .getMessage().contains("'lax'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Session.setCookieParams("/", "", false, true, "None"))
                .getMessage().startsWith("a session cookie with SameSite=None must be secure"), "browsers refuse it without Secure");
        assertThrows(NullPointerException.class, () -> withCookie(null).session().set("a", null));
    }

    @Test
    void aDirectoryThatCannotBeWrittenIsNamedWithWhatToDo() throws Exception {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "");
        Session.setSavePath(file.resolve("sessions"));
        Session session = withCookie(null).session();
        UncheckedIOException failed = assertThrows(UncheckedIOException.class, () -> session.set("a", "1"));
        assertEquals("cannot lock a session file in " + file.resolve("sessions") + " (Not a directory)"
                + ": Session.setSavePath names a directory this worker's user may write", failed.getMessage());
        assertFalse(failed.getMessage().contains(session.getId()), "an id in a log would let its reader take the session over");
        assertTrue(failed.getMessage().endsWith("Session.setSavePath names a directory this worker's user may write"), failed.getMessage());
    }

    /** A handler of the application's own keeps the sessions: it is asked for the changes only, and what the session holds comes back from it. */
    @Test
    void aHandlerOfItsOwnKeepsTheSessions() {
        Map<String, Map<String, String>> kept = new java.util.HashMap<>();
        List<String> calls = new java.util.ArrayList<>();
        Session.setHandler(new SessionHandler() {
            @Override
            public Map<String, String> read(String id, Duration lifetime) {
                calls.add("read " + lifetime.toSeconds());
                return kept.get(id);
            }

            @Override
            public Map<String, String> update(String id, boolean clear, Map<String, String> changes, Duration lifetime) {
                calls.add("update " + clear + " " + changes);
                Map<String, String> next = new LinkedHashMap<>(clear || !kept.containsKey(id) ? Map.of() : kept.get(id));
                changes.forEach((name, value) -> {
                    if (value == null) {
                        next.remove(name);
                    } else {
                        next.put(name, value);
                    }
                });
                next.put("by", "handler");
                kept.put(id, next);
                return next;
            }

            @Override
            public void touch(String id, Duration lifetime) {
                calls.add("touch");
            }

            @Override
            public void destroy(String id) {
                calls.add("destroy");
                kept.remove(id);
            }
        });
        Request first = withCookie(null);
        String id = first.session().set("uid", "7").getId();
        assertTrue(first.sessionCookie().startsWith("PHPSID=" + id + ";"));
        Session again = withCookie("PHPSID=" + id).session();
        assertEquals(Map.of("uid", "7", "by", "handler"), again.all());
        again.delete("uid").refresh();
        assertEquals(Map.of("by", "handler"), again.all(), "what the handler holds after the change");
        again.regenerateId();
        assertEquals(List.of("update false {uid=7}", "read 1440", "update false {uid=null}", "touch", "read 1440", "destroy",
                "update true {by=handler}"), calls);
        assertFalse(kept.containsKey(id));
        assertFalse(Files.exists(sessions), "no file");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Session.setHandler(null)).getMessage().contains("not null"));
    }

    /** A directory removed under a running worker (a temp cleaner) is made again, and its new lock file is the one locked. */
    @Test
    void aSessionDirectoryRemovedUnderAWorkerIsMadeAgainWithItsLock() throws Exception {
        withCookie(null).session().set("a", "1");
        try (java.util.stream.Stream<Path> all = Files.walk(sessions)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        Session again = withCookie(null).session().set("b", "2");
        assertTrue(Files.exists(file(again)));
        assertTrue(Files.exists(sessions.resolve(".lock")), "the lock this process takes is the file the other workers open");
    }

    /** A login in one request after a logout in another brings none of the values the first had read. */
    @Test
    void regenerateIdAfterALogoutElsewhereStartsEmpty() {
        String id = withCookie(null).session().set("uid", "7").getId();
        Request login = withCookie("PHPSID=" + id);
        Session stale = login.session();
        withCookie("PHPSID=" + id).session().flush();
        stale.regenerateId();
        assertEquals(Map.of(), stale.all());
        assertNull(login.sessionCookie(), "nothing kept: no cookie until something is set");
        stale.set("uid", "8");
        assertEquals(Map.of("uid", "8"), withCookie("PHPSID=" + stale.getId()).session().all());
    }

    /** A logout page hit without a session, or a login before anything was set, asks no store. */
    @Test
    void anEmptyNewSessionTouchesNoStore() {
        Request request = withCookie(null);
        request.session().flush().regenerateId().flush();
        assertFalse(Files.exists(sessions), "no directory made");
        assertNull(request.sessionCookie());
    }

    /** A handler's empty answer is no session: the client's id is not taken for a new one. */
    @Test
    void anEmptySessionFromAHandlerIsNone() {
        Session.setHandler(new SessionHandler() {
            @Override
            public Map<String, String> read(String id, Duration lifetime) {
                return Map.of();
            }

            @Override
            public Map<String, String> update(String id, boolean clear, Map<String, String> changes, Duration lifetime) {
                return changes;
            }

            @Override
            public void touch(String id, Duration lifetime) {
            }

            @Override
            public void destroy(String id) {
            }
        });
        String planted = "0123456789abcdef0123456789abcdef";
        Session session = withCookie("PHPSID=" + planted).session();
        assertTrue(session.isNew());
        assertNotEquals(planted, session.getId());
    }

    @Test
    void redisSessionsNeedARedisAddress() {
        for (String address : new String[] {null, "127.0.0.1:6379", "http://127.0.0.1"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new RedisSessionHandler(address));
            assertTrue(refused.getMessage().startsWith("a Redis session address is redis://"), refused.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RedisSessionHandler("redis://:6379")).getMessage().contains("no host"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RedisSessionHandler("redis://h", "", Duration.ofSeconds(1)))
                .getMessage().contains("prefix"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RedisSessionHandler("redis://h", "p", Duration.ZERO))
                .getMessage().contains("positive"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RedisSessionHandler("redis://h:6379/abc")).getMessage()
                .contains("the db a number"), "refused in main, not at every request");
        for (String leaky : new String[] {"redis://:pa/ss@h:6379", "redis://:pa ss@h:6379", "REDIS://:secret@h", " redis://:secret@h"}) {
            String message = assertThrows(IllegalArgumentException.class, () -> new RedisSessionHandler(leaky)).getMessage();
            assertFalse(message.contains("ss@") || message.contains("secret"), "no password in: " + message);
        }
    }

    @Test
    void valuesSurviveTheirEncodingAndAFileCutShortReadsAsEmpty() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("", "");
        values.put("line\nbreak", "\u0000\uffff");
        values.put("k", "v".repeat(100_000));
        byte[] bytes = SessionFiles.encode(values);
        assertEquals(values, SessionFiles.decode(bytes));
        assertEquals(Map.of(), SessionFiles.decode(java.util.Arrays.copyOf(bytes, bytes.length - 1)));
        assertEquals(Map.of(), SessionFiles.decode("not a session".getBytes()));
    }

    /** The effective uid, the second of the Uid: line's four: the one a worker's files get once it took its user. */
    @Test
    void theEffectiveUidIsReadFromProcStatus() {
        assertEquals(65534, SessionFiles.effectiveUid(java.util.List.of("Name:\tjava", "Umask:\t0022", "Uid:\t0\t65534\t65534\t65534",
                "Gid:\t0\t0\t0\t0")));
    }
}
