package dev.drover.internal;

import dev.drover.http.Request;
import dev.drover.http.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code http://}: HTTP/1.1 on Netty's codec; {@code onMessage} gets a {@link Request}. */
final class HttpCodec implements Codec {
    static final HttpCodec INSTANCE = new HttpCodec();
    private static final byte[] EMPTY = new byte[0];

    @Override
    public String name() {
        return "http";
    }

    @Override
    public void install(ChannelPipeline pipeline, dev.drover.Connection connection) {
        pipeline.addLast(new HttpServerCodec());
        pipeline.addLast(new HttpServerKeepAliveHandler());
        pipeline.addLast(new HttpObjectAggregator(connection.getMaxPackageSize()));
    }

    @Override
    public Object decode(Object message, dev.drover.Connection connection) {
        FullHttpRequest request = (FullHttpRequest) message;
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach(h -> headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue()));
        ByteBuf content = request.content();
        byte[] body = content.isReadable() ? ByteBufUtil.getBytes(content) : EMPTY;
        return new Request(request.method().name(), request.uri(), headers, body);
    }

    @Override
    public Object encode(Object data, ByteBufAllocator alloc, dev.drover.Connection connection) {
        if (data instanceof Response response) {
            FullHttpResponse out = response(alloc, HttpResponseStatus.valueOf(response.status()), response.bodyBytes(), null);
            response.headers().forEach((name, value) -> out.headers().set(name, value));
            return out;
        }
        String type = data instanceof byte[] ? "application/octet-stream" : "text/plain; charset=utf-8";
        return response(alloc, HttpResponseStatus.OK, Codec.bytesOf(data), type);
    }

    static FullHttpResponse response(ByteBufAllocator alloc, HttpResponseStatus status, byte[] body, String contentType) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Codec.buffer(alloc, body));
        if (contentType != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return response;
    }

    /** The answer to a request Netty could not parse: 400, and the connection closes. */
    static FullHttpResponse badRequest(ByteBufAllocator alloc) {
        HttpResponseStatus status = HttpResponseStatus.BAD_REQUEST;
        FullHttpResponse response = response(alloc, status, (status + "\n").getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }
}
