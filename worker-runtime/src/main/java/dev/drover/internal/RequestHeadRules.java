package dev.drover.internal;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * What RFC 9112 refuses in a request head that Netty's decoder takes: a major version other than 1
 * (505), an HTTP/1.1 request without a Host header, any request with more than one or with one
 * that names no host (400, RFC 9112 3.2), and a transfer coding other than chunked alone (501,
 * RFC 9112 6.1: Netty took {@code identity, chunked}). {@link PlainRequest} leaves such heads to Netty's decoder, so both ways of reading a
 * request refuse them through {@link HttpCodec#badRequest}.
 */
final class RequestHeadRules {
    private RequestHeadRules() {}

    /** Why the head is refused: its status, and a line saying what was wrong. */
    static final class Refused extends DecoderException {
        private final HttpResponseStatus status;

        Refused(HttpResponseStatus status, String why) {
            super(why);
            this.status = status;
        }

        HttpResponseStatus status() {
            return status;
        }
    }

    /** Marks {@code request} as refused when it breaks a rule; whether it did. */
    static boolean refuse(HttpRequest request) {
        Refused refused = check(request);
        if (refused != null) {
            request.setDecoderResult(DecoderResult.failure(refused));
        }
        return refused != null;
    }

    /** Why {@code request} is refused, or null when it keeps the rules. */
    static Refused check(HttpRequest request) {
        if (request.protocolVersion().majorVersion() != 1) {
            return new Refused(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, request.protocolVersion() + " is not spoken here: HTTP/1.1 is");
        }
        String wrongTarget = target(request.method(), request.uri());
        if (wrongTarget != null) {
            return new Refused(HttpResponseStatus.BAD_REQUEST, wrongTarget);
        }
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            return new Refused(HttpResponseStatus.BAD_REQUEST, "a request has one Host header, not " + hosts.size());
        }
        if (hosts.isEmpty() && request.protocolVersion().minorVersion() >= 1) {
            return new Refused(HttpResponseStatus.BAD_REQUEST, "an HTTP/1.1 request needs a Host header");
        }
        if (hosts.size() == 1) {
            byte[] host = hosts.get(0).getBytes(StandardCharsets.ISO_8859_1);
            if (!validHost(host, 0, host.length)) {
                return new Refused(HttpResponseStatus.BAD_REQUEST, "a Host header is a host name or address and a port, not '"
                        + hosts.get(0).replaceAll("[^\\x20-\\x7e]", "?") + "'");
            }
        }
        List<String> codings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!codings.isEmpty() && (codings.size() > 1 || !codings.get(0).trim().equalsIgnoreCase("chunked"))) {
            return new Refused(HttpResponseStatus.NOT_IMPLEMENTED, "the transfer coding '" + String.join(", ", codings)
                    + "' is not one drover reads: send chunked alone, or a Content-Length");
        }
        return null;
    }

    /**
     * What is wrong with a request target, or null (RFC 9112 3.2): a path ({@code /...}), a URL of
     * http, https, ws or wss with a host {@link #validHost} takes (absolute form), {@code *} for
     * OPTIONS, or a host and port for CONNECT; no control characters. A host() read from any other
     * target could point elsewhere than the Host header it was checked in place of.
     */
    static String target(HttpMethod method, String uri) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                return "a request target has no control characters: " + printable(uri);
            }
        }
        if (uri.startsWith("/") || uri.equals("*") && HttpMethod.OPTIONS.equals(method)) {
            return null;
        }
        if (HttpMethod.CONNECT.equals(method)) {
            return !uri.isEmpty() && validHost(uri.getBytes(StandardCharsets.ISO_8859_1), 0, uri.length()) ? null
                    : "a CONNECT's target is a host and a port, not '" + printable(uri) + "'";
        }
        int scheme = uri.indexOf("://");
        String name = scheme < 0 ? "" : uri.substring(0, scheme).toLowerCase(Locale.ROOT);
        int end = scheme + 3;
        while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
            end++;
        }
        byte[] authority = scheme < 0 ? new byte[0] : uri.substring(scheme + 3, end).getBytes(StandardCharsets.ISO_8859_1);
        boolean fragment = end < uri.length() && uri.charAt(end) == '#'; // no target has one (RFC 9112 3.2), and host() reads past it
        if (!List.of("http", "https", "ws", "wss").contains(name) || authority.length == 0 || fragment
                || !validHost(authority, 0, authority.length)) {
            return "a request target is a path (/...) or an http:// URL with a host, not '" + printable(uri) + "'";
        }
        return null;
    }

    private static String printable(String text) {
        return text.replaceAll("[^\\x21-\\x7e]", "?");
    }

    /**
     * Whether {@code head[from, to)} can be a Host header's value (RFC 9112 3.2, RFC 3986 3.2.2): a
     * registered name or an IPv4 address (letters, digits, {@code -._~}, percent-escapes and
     * sub-delims) or an IP literal in brackets, then perhaps {@code :port}; or empty. A space, a
     * slash, {@code @}, two dots in a row or anything else that could make a link, a virtual host
     * or a directory named after it mean another place than the one asked is refused, as nginx
     * refuses it.
     */
    static boolean validHost(byte[] head, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!HOST[head[i] & 0xff] || head[i] == '.' && i > from && head[i - 1] == '.') {
                return false;
            }
        }
        return true;
    }

    private static final boolean[] HOST = new boolean[256];

    static {
        for (char c : ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~%!$&'()*+,;=:[]").toCharArray()) {
            HOST[c] = true;
        }
    }
}
