package dev.drover.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP session, as Workerman's {@code $request->session()}: values kept on the server under an
 * id the client holds in a cookie ({@code PHPSID} by default), shared by every worker process on
 * the host. {@link Request#session} starts one for a client that has none; once something is set
 * in it, it has a file and drover adds its cookie to the response for that request. A session
 * nothing was set in costs nothing: no file, no cookie (a page that only checks for a login).
 *
 * <p>Values are strings (encode anything else yourself). Each change is written at once to the
 * session's file in {@link #setSavePath the save path}, over what the file holds then: two workers
 * (a page and a WebSocket of one client, say) each keep what the other set, and a session that a
 * logout flushed or a login renamed meanwhile gets no stale values back. There is no save to
 * forget, even after an answer sent later from a timer. A file is replaced whole, so no worker
 * reads half of it. A session read or written is kept for {@link #setLifetime the lifetime} after
 * its last use; older files are deleted now and then (one session start in 1,000 sweeps the
 * directory, off the event loop). The cookie, as Workerman's, lasts {@link #setCookieLifetime its
 * own lifetime} from the session's start, however active the client.
 *
 * <p>After a login, {@link #regenerateId} gives the session a new id, so an id an attacker planted
 * beforehand is worth nothing. The settings are static, as Workerman's: set them in {@code main},
 * which every worker runs.
 */
public final class Session {
    private static volatile SessionSettings settings = SessionSettings.DEFAULTS;

    private String id;
    private final boolean fresh;
    /** Whether it has a file: a new session gets one (and its cookie) when something is first set in it. */
    private boolean stored;
    /** What it holds, as this request knows it (its own changes, and what the file held when last read or written). */
    private final Map<String, String> values;
    /** The changes not yet written: a name's new value, or null for a name removed. */
    private final Map<String, String> changes = new LinkedHashMap<>();
    /** flush() was called since the last write: what the file holds goes. */
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

    /** How long a session lives after its last use (Workerman's {@code Session::$lifetime}, default 1,440 s). */
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
     * The directory of the session files; made, for its owner only, when missing. The default,
     * {@code drover-sessions-<uid>} in {@code java.io.tmpdir}, is each user's own, and refused
     * (naming it) when another user made it first. Every worker of the host that should share
     * sessions uses the same one.
     */
    public static void setSavePath(Path directory) {
        settings = settings.withSavePath(directory);
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
            SessionFiles.of(settings).touch(id);
        }
        return this;
    }

    /**
     * Moves the values to a new id and forgets the old one; the response for this request carries
     * the new cookie (call it before sending that). Call it when the client logs in.
     */
    public Session regenerateId() {
        SessionFiles files = SessionFiles.of(settings);
        Map<String, String> latest = stored ? files.read(id) : null;
        if (latest != null) {
            values.clear();
            values.putAll(latest);
        }
        files.delete(id);
        id = SessionFiles.newId();
        files.write(id, values);
        started(files);
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
     * Writes this object's changes over what the file holds now: what another worker (or another
     * request of this client) wrote since this was read stays. A session that ended meanwhile (a
     * logout flushed it elsewhere, a login gave it a new id, its lifetime passed) gets this
     * object's changes only, never the values it read before.
     */
    private void save() {
        SessionFiles files = SessionFiles.of(settings);
        Map<String, String> next = stored ? files.read(id) : null;
        if (next == null) {
            next = new LinkedHashMap<>();
        }
        if (cleared) {
            next.clear();
        }
        for (Map.Entry<String, String> change : changes.entrySet()) {
            if (change.getValue() == null) {
                next.remove(change.getKey());
            } else {
                next.put(change.getKey(), change.getValue());
            }
        }
        files.write(id, next);
        values.clear();
        values.putAll(next);
        changes.clear();
        cleared = false;
        if (!stored) {
            started(files);
        }
    }

    /** It has a file now: the response hands out its cookie. */
    private void started(SessionFiles files) {
        stored = true;
        request.sessionStarted(this);
        files.sweepSometimes();
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
