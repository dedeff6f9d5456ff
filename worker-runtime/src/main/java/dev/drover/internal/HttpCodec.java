package dev.drover.internal;

import dev.drover.Connection;
import dev.drover.http.Chunk;
import dev.drover.http.Request;
import dev.drover.http.ServerSentEvent;
import dev.drover.http.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelPipeline;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code http://}: HTTP/1.1 on Netty's request decoder and {@link HttpServerSide}; {@code onMessage}
 * gets a {@link Request}, {@code send(text or bytes)} answers 200 with a {@link PlainAnswer}, and so
 * does a {@link Response} with a whole body unless Netty's encoder must shape it.
 */
final class HttpCodec implements Codec {
    static final HttpCodec INSTANCE = new HttpCodec();
    private static final byte[] EMPTY = new byte[0];
    /** Headers drover writes itself (content type, length, connection) need no validation; an application's do. */
    private static final HttpHeadersFactory TRUSTED = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final AsciiString TEXT = AsciiString.cached(PlainAnswer.TEXT);

    @Override
    public String name() {
        return "http";
    }

    /** BodilessRequests and the aggregator join behind it when Netty's decoder first reads a request. */
    @Override
    public Traffic traffic(FlushBatch batch, Connection connection) {
        return new HttpServerSide(batch, connection::getMaxPackageSize);
    }

    @Override
    public void install(ChannelPipeline pipeline, Connection connection) {
        if (Tls.on(pipeline)) {
            // Files go out as chunks only under TLS (FileBody); plain connections send them zero-copy,
            // and every other write skips the handler's queue.
            pipeline.addLast(new ChunkedWriteHandler());
        }
    }

    @Override
    public Object decode(Object message, Connection connection) {
        if (message instanceof Request plain) {
            return plain; // read by PlainRequest
        }
        FullHttpRequest request = (FullHttpRequest) message;
        String uri = Utf8Text.of(request.uri());
        Map<String, List<String>> headers = new HeaderMap(request.headers());
        ByteBuf content = request.content();
        byte[] body = content.isReadable() ? ByteBufUtil.getBytes(content) : EMPTY;
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (!type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return new Request(request.method().name(), uri, headers, body);
        }
        MultipartForm form = MultipartForm.parse(body, type);
        return new Request(request.method().name(), uri, headers, body, form.fields(), form.files());
    }

    @Override
    public Object encode(Object data, ByteBufAllocator alloc, Connection connection) {
        String sessionCookie = connection instanceof NettyConnection own ? own.sessionCookie() : null;
        if (sessionCookie != null && !(data instanceof Chunk) && !(data instanceof ServerSentEvent)
                && !(data instanceof Response early && early.status() < 200)) { // a 103's final answer takes it
            return withCookie(data instanceof Response response ? response : new Response(200,
                    Map.of("Content-Type", data instanceof byte[] ? PlainAnswer.OCTET_STREAM : PlainAnswer.TEXT), "").body(Codec.bytesOf(data)),
                    sessionCookie, alloc);
        }
        if (data instanceof Response response) {
            PlainAnswer answer = PlainAnswer.of(response);
            return answer != null ? answer : encodeResponse(response, alloc);
        }
        if (data instanceof Chunk chunk) {
            return chunk.isLast() ? LastHttpContent.EMPTY_LAST_CONTENT : new DefaultHttpContent(Codec.buffer(alloc, chunk.data()));
        }
        if (data instanceof ServerSentEvent event) {
            return new DefaultHttpContent(Codec.buffer(alloc, event.encode()));
        }
        // The answer keeps the array, so it must be one the application cannot change.
        return data instanceof byte[] bytes ? PlainAnswer.bytes(bytes.clone()) : PlainAnswer.text(Codec.bytesOf(data));
    }

    /** {@code response}, by Netty's path, with the Set-Cookie of the session its request started (the application's Response is left as it is). */
    private static Object withCookie(Response response, String cookie, ByteBufAllocator alloc) {
        Object encoded = encodeResponse(response, alloc);
        HttpResponse head = encoded instanceof FileBody body ? body.head() : encoded instanceof StreamStart start ? start.head() : (HttpResponse) encoded;
        head.headers().add(HttpHeaderNames.SET_COOKIE, cookie);
        return encoded;
    }

    /**
     * A whole response; or its head, when the body follows as chunks or events (sent chunked) or
     * as a file (a head, the file as a region, and the end: see {@link FileBody}).
     */
    static Object encodeResponse(Response response, ByteBufAllocator alloc) {
        HttpResponseStatus status = status(response.status());
        if (response.isStreaming() || response.file() != null) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
            response.headers().forEach((name, values) -> head.headers().add(name, values));
            if (response.file() != null) {
                return new FileBody(head, response.file(), response.fileOffset(), response.fileLength()); // typed by the file's extension
            }
            typeByDefault(head);
            head.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
            head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            byte[] body = response.bodyBytes();
            return body.length == 0 ? head : new StreamStart(head, new DefaultHttpContent(Codec.buffer(alloc, body)));
        }
        FullHttpResponse out = response(status, response.bodyBytes(), null, DefaultHttpHeadersFactory.headersFactory());
        response.headers().forEach((name, values) -> out.headers().set(name, values));
        typeByDefault(out);
        if (status.code() == 304) { // RFC 9110 8.6: no length unless the 200's, which this answer does not know
            out.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        } else {
            out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, out.content().readableBytes());
        }
        return out;
    }

    /** Gives {@code head} {@link PlainAnswer#HTML} when the application set no Content-Type and its status has a body. */
    private static void typeByDefault(HttpResponse head) {
        int code = head.status().code();
        if (code >= 200 && code != 204 && code != 205 && code != 304 && !head.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, PlainAnswer.HTML);
        }
    }

    /** A streamed answer's head and the body set on its Response, its first chunk (Workerman sends it so). */
    record StreamStart(HttpResponse head, HttpContent first) {}

    /** Reason phrases Netty lacks for codes in use (RFC 9110, 2324, 7725, 5842, 3229); Netty's own otherwise. */
    private static final Map<Integer, String> MORE_PHRASES = Map.of(208, "Already Reported", 226, "IM Used", 418, "I'm a teapot",
            451, "Unavailable For Legal Reasons", 508, "Loop Detected");

    /** The status for {@code code}, with its reason phrase. */
    static HttpResponseStatus status(int code) {
        String phrase = MORE_PHRASES.get(code);
        return phrase == null ? HttpResponseStatus.valueOf(code) : new HttpResponseStatus(code, phrase);
    }

    /**
     * A whole response with {@code body}, which it keeps: a small one is copied into the buffer the
     * head is encoded to, a large one when it is written (heap to direct), so no pooled buffer is
     * taken for it here.
     */
    static FullHttpResponse response(HttpResponseStatus status, byte[] body, CharSequence contentType, HttpHeadersFactory headers) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body),
                headers.newHeaders(), EmptyHttpHeaders.INSTANCE);
        if (contentType != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return response;
    }

    /**
     * The answer to a request the decoder refused for {@code cause}, which closes the connection:
     * 414 for a request line over 16 KiB, 431 for headers over 16 KiB in all
     * (RFC 9112 3, RFC 6585 5), what {@link RequestHeadRules} refused with its status and reason, else 400.
     */
    static FullHttpResponse badRequest(Throwable cause) {
        if (cause instanceof RequestHeadRules.Refused refused) {
            return refusal(refused.status(), refused.status() + ": " + refused.getMessage() + "\n");
        }
        HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : HttpResponseStatus.BAD_REQUEST;
        return refusal(status, status + "\n");
    }

    /** A refusal: {@code status} with {@code text} as its plain-text body, and the connection closes after it. */
    static FullHttpResponse refusal(HttpResponseStatus status, String text) {
        FullHttpResponse response = response(status, text.getBytes(StandardCharsets.UTF_8), TEXT, TRUSTED);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }
}
