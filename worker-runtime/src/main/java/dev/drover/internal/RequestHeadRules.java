package dev.drover.internal;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;

/**
 * What RFC 9112 refuses in a request head that Netty's decoder takes: a major version other than 1
 * (505), an HTTP/1.1 request without a Host header, and any request with more than one (400, RFC
 * 9112 3.2). {@link PlainRequest} leaves such heads to Netty's decoder, so both ways of reading a
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
        return null;
    }
}
