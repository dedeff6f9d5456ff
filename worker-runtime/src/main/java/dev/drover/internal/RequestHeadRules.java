package dev.drover.internal;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;

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
     * Whether {@code head[from, to)} can be a Host header's value (RFC 9112 3.2, RFC 3986 3.2.2): a
     * registered name or an IPv4 address (letters, digits, {@code -._~}, percent-escapes and
     * sub-delims) or an IP literal in brackets, then perhaps {@code :port}; or empty. A space, a
     * slash, {@code @} or anything else that could make a link or a virtual host mean another
     * place than the one asked is refused, as nginx refuses it.
     */
    static boolean validHost(byte[] head, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!HOST[head[i] & 0xff]) {
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
