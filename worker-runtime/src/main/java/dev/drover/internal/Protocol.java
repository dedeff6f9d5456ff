package dev.drover.internal;

import dev.drover.http.Request;
import dev.drover.http.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LineBasedFrameDecoder;
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
import io.netty.handler.flush.FlushConsolidationHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The wire protocols of issue one: how a listen address's protocol decodes packages into what
 * {@code onMessage} receives, and encodes what {@code send} is given.
 */
enum Protocol {
    /** Raw bytes: each read is one {@code byte[]} message. */
    TCP {
        @Override
        void installCodec(ChannelPipeline pipeline) {}

        @Override
        Object decode(Object message) {
            return ByteBufUtil.getBytes((ByteBuf) message);
        }

        @Override
        Object encode(Object data, ByteBufAllocator alloc) {
            return buffer(alloc, bytesOf(data));
        }
    },
    /** One package per {@code \n}-terminated line; {@code onMessage} gets the line without it. */
    TEXT {
        @Override
        void installCodec(ChannelPipeline pipeline) {
            pipeline.addLast(new LineBasedFrameDecoder(MAX_PACKAGE_SIZE, true, true));
        }

        @Override
        Object decode(Object message) {
            String line = ((ByteBuf) message).toString(StandardCharsets.UTF_8);
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        }

        @Override
        Object encode(Object data, ByteBufAllocator alloc) {
            byte[] bytes = bytesOf(data);
            ByteBuf buffer = alloc.buffer(bytes.length + 1);
            return buffer.writeBytes(bytes).writeByte('\n');
        }
    },
    /** HTTP/1.1 on Netty's codec: {@code onMessage} gets a {@link Request}. */
    HTTP {
        @Override
        void installCodec(ChannelPipeline pipeline) {
            pipeline.addLast(new HttpServerCodec());
            pipeline.addLast(new HttpServerKeepAliveHandler());
            pipeline.addLast(new HttpObjectAggregator(MAX_PACKAGE_SIZE));
        }

        @Override
        Object decode(Object message) {
            FullHttpRequest request = (FullHttpRequest) message;
            Map<String, List<String>> headers = new LinkedHashMap<>();
            request.headers().forEach(h -> headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue()));
            ByteBuf content = request.content();
            byte[] body = content.isReadable() ? ByteBufUtil.getBytes(content) : EMPTY;
            return new Request(request.method().name(), request.uri(), headers, body);
        }

        @Override
        Object encode(Object data, ByteBufAllocator alloc) {
            if (data instanceof Response response) {
                FullHttpResponse out = response(alloc, HttpResponseStatus.valueOf(response.status()), response.bodyBytes(), null);
                response.headers().forEach((name, value) -> out.headers().set(name, value));
                return out;
            }
            String type = data instanceof byte[] ? "application/octet-stream" : "text/plain; charset=utf-8";
            return response(alloc, HttpResponseStatus.OK, bytesOf(data), type);
        }
    };

    /** Workerman's default maxPackageSize: 10 MiB. */
    static final int MAX_PACKAGE_SIZE = 10 * 1024 * 1024;
    private static final byte[] EMPTY = new byte[0];

    static Protocol of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** Adds this protocol's handlers, behind a flush consolidator that batches pipelined answers. */
    void install(ChannelPipeline pipeline) {
        pipeline.addLast(new FlushConsolidationHandler(256, true));
        installCodec(pipeline);
    }

    abstract void installCodec(ChannelPipeline pipeline);

    /** The message {@code onMessage} receives for one decoded package. */
    abstract Object decode(Object message);

    /** What goes down the pipeline for {@code send(data)}. */
    abstract Object encode(Object data, ByteBufAllocator alloc);

    static FullHttpResponse response(ByteBufAllocator alloc, HttpResponseStatus status, byte[] body, String contentType) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, buffer(alloc, body));
        if (contentType != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return response;
    }

    static FullHttpResponse badRequest(ByteBufAllocator alloc, HttpResponseStatus status) {
        FullHttpResponse response = response(alloc, status, (status + "\n").getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }

    private static ByteBuf buffer(ByteBufAllocator alloc, byte[] bytes) {
        return alloc.buffer(bytes.length).writeBytes(bytes);
    }

    private static byte[] bytesOf(Object data) {
        if (data instanceof byte[] bytes) {
            return bytes;
        }
        if (data instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException("cannot send a " + data.getClass().getName() + "; send a String or byte[]");
    }
}
