package dev.drover.http;

import java.time.Duration;
import java.util.Map;

/**
 * Where {@link Session}s are kept, as Workerman's session handlers: files by default
 * ({@link Session#setSavePath}), Redis with {@link RedisSessionHandler}, or your own, set with
 * {@link Session#setHandler} in {@code main}. A handler is called on the worker's event loop and
 * waits for its answer, as Workerman's do: keep each call short.
 *
 * <p>A session with nothing in it is no session: {@link #read} returns null for it, and an
 * {@link #update} that leaves it empty removes it. Ids are 16 to 128 letters and digits. A failure
 * throws {@link java.io.UncheckedIOException} naming where the sessions are kept, never the id
 * (whoever reads the log could take the session over with it).
 */
public interface SessionHandler {
    /**
     * The values of session {@code id}, or null when it holds none (never was, destroyed, or unused
     * for longer than {@code lifetime}). A read keeps the session for another lifetime.
     */
    Map<String, String> read(String id, Duration lifetime);

    /**
     * Applies {@code changes} (a name's new value, or null for a name removed) over what session
     * {@code id} holds now, after removing all of it when {@code clear}; keeps the session for
     * another lifetime; returns what it holds then. Another worker's changes made meanwhile stay.
     */
    Map<String, String> update(String id, boolean clear, Map<String, String> changes, Duration lifetime);

    /** Keeps session {@code id} for another lifetime from now, if it is there. */
    void touch(String id, Duration lifetime);

    /** Removes session {@code id}. */
    void destroy(String id);
}
