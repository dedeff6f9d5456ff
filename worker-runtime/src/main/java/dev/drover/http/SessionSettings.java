package dev.drover.http;

import java.time.Duration;

/**
 * {@link Session}'s settings, replaced whole when one changes (a worker's loop reads them as one).
 * The default handler keeps files in {@code drover-sessions-<uid>} in the temporary directory, for
 * the user the worker runs as when it first uses a session (after {@code setUser}).
 */
record SessionSettings(String name, Duration lifetime, Duration cookieLifetime, String path, String domain, boolean secure,
                       boolean httpOnly, String sameSite, SessionHandler handler) {
    /** The longest lifetime a session may have: ten years (a store counts its expiry in milliseconds from now). */
    static final Duration LONGEST = Duration.ofDays(3650);
    static final SessionSettings DEFAULTS = new SessionSettings("PHPSID", Duration.ofSeconds(1440), Duration.ofSeconds(1440), "/", "",
            false, true, "", SessionFiles.DEFAULT);

    SessionSettings withName(String name) {
        if (name == null || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw new IllegalArgumentException("a session cookie's name must be a token (RFC 6265 4.1.1), not '" + name + "'");
        }
        return new SessionSettings(name, lifetime, cookieLifetime, path, domain, secure, httpOnly, sameSite, handler);
    }

    SessionSettings withLifetime(Duration lifetime) {
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("a session's lifetime must be positive and at most " + LONGEST.toDays() + " days, not " + lifetime);
        }
        return new SessionSettings(name, lifetime, cookieLifetime, path, domain, secure, httpOnly, sameSite, handler);
    }

    SessionSettings withCookieLifetime(Duration cookieLifetime) {
        if (cookieLifetime == null || cookieLifetime.isNegative()) {
            throw new IllegalArgumentException("a session cookie's lifetime must be zero (until the browser closes) or positive, not " + cookieLifetime);
        }
        return new SessionSettings(name, lifetime, cookieLifetime, path, domain, secure, httpOnly, sameSite, handler);
    }

    SessionSettings withCookie(String path, String domain, boolean secure, boolean httpOnly, String sameSite) {
        for (String value : new String[] {path, domain}) {
            if (value == null || !value.matches("[\\x21-\\x3a\\x3c-\\x7e]*")) { // visible ASCII but ';'
                throw new IllegalArgumentException("a session cookie's path and domain are visible ASCII without ';', not '" + value + "'");
            }
        }
        if (sameSite == null || !sameSite.matches("|Strict|Lax|None")) {
            throw new IllegalArgumentException("SameSite is Strict, Lax, None or empty, not '" + sameSite + "'");
        }
        if (sameSite.equals("None") && !secure) {
            throw new IllegalArgumentException("a session cookie with SameSite=None must be secure (https only): browsers refuse it"
                    + " otherwise, and every visitor would get a new session; pass secure = true, or use Lax");
        }
        return new SessionSettings(name, lifetime, cookieLifetime, path, domain, secure, httpOnly, sameSite, handler);
    }

    SessionSettings withHandler(SessionHandler handler) {
        if (handler == null) {
            throw new IllegalArgumentException("a session handler, not null (Session.setSavePath keeps sessions in files)");
        }
        return new SessionSettings(name, lifetime, cookieLifetime, path, domain, secure, httpOnly, sameSite, handler);
    }

    /** The Set-Cookie value for session {@code id}, as Workerman writes it. */
    String cookie(String id) {
        StringBuilder cookie = new StringBuilder(name).append('=').append(id);
        if (!domain.isEmpty()) {
            cookie.append("; Domain=").append(domain);
        }
        if (!cookieLifetime.isZero()) {
            cookie.append("; Max-Age=").append(cookieLifetime.toSeconds());
        }
        if (!path.isEmpty()) {
            cookie.append("; Path=").append(path);
        }
        if (!sameSite.isEmpty()) {
            cookie.append("; SameSite=").append(sameSite);
        }
        if (secure) {
            cookie.append("; Secure");
        }
        if (httpOnly) {
            cookie.append("; HttpOnly");
        }
        return cookie.toString();
    }
}
