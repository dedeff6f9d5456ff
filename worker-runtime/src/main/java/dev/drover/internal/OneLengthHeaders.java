package dev.drover.internal;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request head's headers as Netty's decoder reads them, with one Content-Length of one value:
 * Netty refuses more only in HTTP/1.1, and of an HTTP/1.0 request's {@code Content-Length: 3} and
 * {@code Content-Length: 40} it took the first, where a proxy in front may take the last and see
 * another request in the body (RFC 9112 6.3: a 400, and the connection closes). The decoder
 * answers a header it cannot add as a malformed head.
 */
final class OneLengthHeaders extends DefaultHttpHeaders {
    static final HttpHeadersFactory FACTORY = new HttpHeadersFactory() {
        @Override
        public HttpHeaders newHeaders() {
            return new OneLengthHeaders();
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return DefaultHttpHeadersFactory.headersFactory().newEmptyHeaders();
        }
    };

    @Override
    public HttpHeaders add(String name, Object value) {
        check(name, value);
        return super.add(name, value);
    }

    @Override
    public HttpHeaders add(CharSequence name, Object value) {
        check(name, value);
        return super.add(name, value);
    }

    private void check(CharSequence name, Object value) {
        if (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                && (contains(HttpHeaderNames.CONTENT_LENGTH) || String.valueOf(value).indexOf(',') >= 0)) {
            throw new RequestHeadRules.Refused(HttpResponseStatus.BAD_REQUEST, "a request has one Content-Length of one value");
        }
    }
}
