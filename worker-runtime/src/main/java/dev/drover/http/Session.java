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
 * session's file in {@link #setSavePath the save path} (replaced whole, so another worker never reads
 * half of it): there is no save to forget, even after an answer sent later from a timer. A session
 * read or written is kept for {@link #setLifetime the lifetime} after its last use; older files
 * are deleted now and then (one session start in 1,000 sweeps the directory, off the event loop).
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
    private final Map<String, String> values;
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
     * The directory of the session files (default {@code drover-sessions} in {@code java.io.tmpdir});
     * made, readable by its owner only, when missing. Every worker of the host that should share
     * sessions uses the same one; each application its own.
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
        values.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value (delete a name instead)"));
        save();
        return this;
    }

    /** Sets each of {@code entries}, and writes the session once. */
    public Session put(Map<String, String> entries) {
        entries.forEach((name, value) -> values.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value of " + name)));
        save();
        return this;
    }

    /** Removes {@code name}, and writes the session if it held it. */
    public Session delete(String name) {
        if (values.remove(name) != null) {
            save();
        }
        return this;
    }

    /** Removes {@code name} and returns its value (null when none): a message shown once. */
    public String pull(String name) {
        String value = values.remove(name);
        if (value != null) {
            save();
        }
        return value;
    }

    /** Removes every value (a logout), keeping the id. */
    public Session flush() {
        values.clear();
        save();
        return this;
    }

    /**
     * Moves the values to a new id and forgets the old one; the response for this request carries
     * the new cookie. Call it when the client logs in.
     */
    public Session regenerateId() {
        SessionFiles.of(settings).delete(id);
        id = SessionFiles.newId();
        stored = false; // the new id's cookie goes on the answer
        save();
        return this;
    }

    private void save() {
        SessionFiles files = SessionFiles.of(settings);
        files.write(id, values);
        if (!stored) {
            stored = true;
            request.sessionStarted(this);
            files.sweepSometimes();
        }
    }

    /** The Set-Cookie value that hands the client this session's id. */
    String cookie() {
        return settings.cookie(id);
    }

    @Override
    public String toString() {
        return "session " + id + " " + values.keySet();
    }
}
