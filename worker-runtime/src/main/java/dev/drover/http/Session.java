package dev.drover.http;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An HTTP session, as Workerman's {@code $request->session()}: values kept on the server under an
 * id the client holds in a cookie ({@code PHPSID} by default), shared by every worker process on
 * the host. {@link Request#session} starts one for a client that has none; once something is set
 * in it, it is kept (in a file, or in Redis) and drover adds its cookie to the response for that
 * request. A session nothing was set in costs nothing: no file, no cookie (a page that only checks
 * for a login).
 *
 * <p>Values are strings (encode anything else yourself). Each change is written at once, over
 * what the session holds then, under the session's lock: two workers (a page and a WebSocket of
 * one client, say) each keep what the other set, even at the same instant, and a session that a
 * logout flushed or a login renamed meanwhile gets no stale values back. There is no save to
 * forget, even after an answer sent later from a timer. A session read or written is kept for
 * {@link #setLifetime the lifetime} after its last use. A session left with nothing in it
 * ({@link #flush}, a logout) is removed: the next request with its cookie starts a new one.
 *
 * <p>Sessions are kept in files by default ({@link #setSavePath}; a file is replaced whole, so no
 * worker reads half of it; one write in 1,000 sweeps the directory of files past their lifetime,
 * off the event loop), or in Redis, shared by several hosts: {@code Session.setHandler(new
 * RedisSessionHandler("redis://10.0.0.5:6379"))}. The cookie, as Workerman's, lasts
 * {@link #setCookieLifetime its own lifetime} from the session's start, however active the client.
 *
 * <p>After a login, {@link #regenerateId} gives the session a new id, so an id an attacker planted
 * beforehand is worth nothing. The settings are static, as Workerman's: set them in {@code main},
 * which every worker runs.
 */
public final class Session {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{16,128}");
    private static volatile SessionSettings settings = SessionSettings.DEFAULTS;

    private String id;
    private final boolean fresh;
    /** Whether it is kept: a new session is (and hands out its cookie) when something is first set in it. */
    private boolean stored;
    /** What it holds, as this request knows it (its own changes, and what the handler held when last read or written). */
    private final Map<String, String> values;
    /** The changes not yet written: a name's new value, or null for a name removed. */
    private final Map<String, String> changes = new LinkedHashMap<>();
    /** flush() was called since the last write: what the session holds goes. */
    private boolean cleared;
    private final Request request;

    Session(String id, boolean fresh, Map<String, String> values, Request request) {
        this.id = id;
        this.fresh = fresh;
        this.stored = !fresh;
        this.values = values;
        this.request = request;
    }

    // ---- settings ----

    /** The cookie that holds the session id (Workerman's {@code Session::$name}, default {@code PHPSID}). */
    public static void setName(String name) {
        settings = settings.withName(name);
    }

    /** How long a session lives after its last use (Workerman's {@code Session::$lifetime}, default 1,440 s; at most ten years). */
    public static void setLifetime(Duration lifetime) {
        settings = settings.withLifetime(lifetime);
    }

    /**
     * The cookie's Max-Age (default 1,440 s, as Workerman's {@code $cookieLifetime}); zero for a
     * cookie the browser forgets when it closes.
     */
    public static void setCookieLifetime(Duration lifetime) {
        settings = settings.withCookieLifetime(lifetime);
    }

    /**
     * The cookie's attributes: {@code path} (default {@code /}), {@code domain} (default none),
     * {@code secure} (default false: set it behind HTTPS), {@code httpOnly} (default true: scripts
     * cannot read it), {@code sameSite} ({@code Strict}, {@code Lax}, {@code None}, or empty, the default).
     */
    public static void setCookieParams(String path, String domain, boolean secure, boolean httpOnly, String sameSite) {
        settings = settings.withCookie(path, domain, secure, httpOnly, sameSite);
    }

    /**
     * Keeps sessions in files in {@code directory} (the default handler), made for its owner only
     * when missing. The default directory, {@code drover-sessions-<uid>} in {@code java.io.tmpdir},
     * is each user's own, and refused (naming it) when another user made it first. Every worker of
     * the host that should share sessions uses the same one.
     */
    public static void setSavePath(Path directory) {
        if (directory == null) {
            throw new IllegalArgumentException("a session save path is a directory, not null");
        }
        settings = settings.withHandler(new SessionFiles(directory));
    }

    /**
     * Keeps sessions with {@code handler} (Workerman's {@code Session::handlerClass}): a
     * {@link RedisSessionHandler}, shared by several hosts, or your own.
     */
    public static void setHandler(SessionHandler handler) {
        settings = settings.withHandler(handler);
    }

    static SessionSettings settings() {
        return settings;
    }

    /** Replaces every setting at once (tests restore the defaults with it). */
    static void use(SessionSettings replacement) {
        settings = replacement;
    }

    // ---- the session ----

    /** Its id, as the cookie carries it. */
    public String getId() {
        return id;
    }

    /** Whether this request started it: the client sent no session cookie (or one for a session that is gone or never held anything). */
    public boolean isNew() {
        return fresh;
    }

    /** The value of {@code name}, or null. */
    public String get(String name) {
        return values.get(name);
    }

    /** The value of {@code name}, or {@code otherwise}. */
    public String get(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }

    /** Whether it holds {@code name}. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** Every value, by name, as they are now. */
    public Map<String, String> all() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Sets {@code name}, and writes the session. */
    public Session set(String name, String value) {
        change(name, Objects.requireNonNull(value, "value (delete a name instead)"));
        save();
        return this;
    }

    /** Sets each of {@code entries}, and writes the session once. */
    public Session put(Map<String, String> entries) {
        entries.forEach((name, value) -> change(name, Objects.requireNonNull(value, "value of " + name)));
        save();
        return this;
    }

    /** Removes {@code name}, and writes the session if it held it. */
    public Session delete(String name) {
        pull(name);
        return this;
    }

    /** Removes {@code name} and returns its value (null when none): a message shown once. */
    public String pull(String name) {
        String value = values.get(name);
        if (value != null) {
            change(name, null);
            save();
        }
        return value;
    }

    /** Removes every value (a logout), keeping the id. */
    public Session flush() {
        values.clear();
        changes.clear();
        cleared = true;
        save();
        return this;
    }

    /** Keeps the session for another lifetime from now without changing it (Workerman's refresh). */
    public Session refresh() {
        if (stored) {
            SessionSettings now = settings;
            now.handler().touch(id, now.lifetime());
        }
        return this;
    }

    /**
     * Moves the values to a new id and forgets the old one; the response for this request carries
     * the new cookie (call it before sending that). Call it when the client logs in.
     */
    public Session regenerateId() {
        SessionSettings now = settings;
        SessionHandler handler = now.handler();
        if (stored) {
            Map<String, String> latest = handler.read(id, now.lifetime());
            values.clear();
            if (latest != null) { // else a logout elsewhere, or the lifetime, ended it: nothing to bring back
                values.putAll(latest);
            }
            handler.destroy(id);
        }
        id = newId();
        stored = false;
        changes.clear();
        cleared = true;
        values.forEach(changes::put);
        save();
        return this;
    }

    private void change(String name, String value) {
        Objects.requireNonNull(name, "name");
        if (value == null) {
            values.remove(name);
        } else {
            values.put(name, value);
        }
        changes.put(name, value);
    }

    /**
     * Writes this object's changes over what the session holds now: what another worker (or
     * another request of this client) wrote since this was read stays. A session that ended
     * meanwhile (a logout flushed it elsewhere, a login gave it a new id, its lifetime passed) gets
     * this object's changes only, never the values it read before. The first write that leaves
     * something in a new session hands out its cookie.
     */
    private void save() {
        if (!stored && changes.isEmpty()) { // nothing to keep, and nothing kept: no store to ask (a logout without a session)
            cleared = false;
            return;
        }
        SessionSettings now = settings;
        // A new id holds nothing either way; saying so would only stop a store from sending the update again (RedisSessions).
        Map<String, String> next = now.handler().update(id, cleared, Collections.unmodifiableMap(changes), now.lifetime());
        values.clear();
        values.putAll(next);
        changes.clear();
        cleared = false;
        if (!stored && !values.isEmpty()) {
            stored = true;
            request.sessionStarted(this);
        }
    }

    /** Whether a client's cookie value can be a session id (no path, no separator: a file handler names a file with it). */
    static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** A new id: 128 random bits in hex. */
    static String newId() {
        byte[] bits = new byte[16];
        Ids.SECURE.nextBytes(bits);
        return HexFormat.of().formatHex(bits);
    }

    /** The id generator, made at the first session (seeding it reads the system's entropy once). */
    private static final class Ids {
        static final SecureRandom SECURE = new SecureRandom();
    }

    /** The Set-Cookie value that hands the client this session's id. */
    String cookie() {
        return settings.cookie(id);
    }

    /** Its names, not its id (which would let whoever reads a log take the session over). */
    @Override
    public String toString() {
        return "session " + values.keySet();
    }
}
