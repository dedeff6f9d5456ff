package dev.drover.internal;

import dev.drover.http.Response;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A response whose body is a file: the head (its Content-Type by the file's extension unless the
 * application set one, its Last-Modified), then the file (zero-copy unless TLS), then the end. A
 * file gone since {@code Response.file} is answered 404, as a missing one is there.
 */
record FileBody(HttpResponse head, Path path) {

    /** Writes all three parts; the returned future completes when the end was written. */
    ChannelFuture writeTo(Channel channel) {
        RandomAccessFile file;
        try {
            file = new RandomAccessFile(path.toFile(), "r");
        } catch (IOException gone) {
            Object notFound = HttpCodec.encodeResponse(new Response(200).file(path), channel.alloc()); // its 404 now
            if (notFound instanceof HttpResponse answer) {
                answer.headers().add(HttpHeaderNames.SET_COOKIE, head.headers().getAll(HttpHeaderNames.SET_COOKIE)); // a session's, say
            }
            return channel.writeAndFlush(notFound);
        }
        try {
            long length = file.length();
            HttpUtil.setContentLength(head, length);
            if (!head.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
                head.headers().set(HttpHeaderNames.CONTENT_TYPE, MediaTypes.of(path));
            }
            if (!head.headers().contains(HttpHeaderNames.LAST_MODIFIED)) {
                head.headers().set(HttpHeaderNames.LAST_MODIFIED, DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        Files.getLastModifiedTime(path).toInstant().atZone(ZoneOffset.UTC)));
            }
            channel.write(head);
            if (channel.pipeline().get(SslHandler.class) == null) {
                channel.write(new DefaultFileRegion(file.getChannel(), 0, length));
            } else {
                channel.write(new ChunkedFile(file, 0, length, 64 * 1024));
            }
            return channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        } catch (IOException e) {
            try {
                file.close();
            } catch (IOException ignored) {
                // reported below
            }
            throw new UncheckedIOException("cannot send " + path + ": " + e.getMessage(), e);
        }
    }
}
