package dev.drover.internal;

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
import java.nio.file.Path;

/** A response whose body is a file: the head, then the file (zero-copy unless TLS), then the end. */
record FileBody(HttpResponse head, Path path) {

    /** Writes all three parts; the returned future completes when the end was written. */
    ChannelFuture writeTo(Channel channel) {
        try {
            RandomAccessFile file = new RandomAccessFile(path.toFile(), "r");
            long length = file.length();
            HttpUtil.setContentLength(head, length);
            if (!head.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
                head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
            }
            channel.write(head);
            if (channel.pipeline().get(SslHandler.class) == null) {
                channel.write(new DefaultFileRegion(file.getChannel(), 0, length));
            } else {
                channel.write(new ChunkedFile(file, 0, length, 64 * 1024));
            }
            return channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send " + path + ": " + e.getMessage(), e);
        }
    }
}
