package dev.drover.internal;

import dev.drover.http.Request;
import dev.drover.http.Response;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A response whose body is a file, or {@code length} bytes of it from {@code offset} (-1: to its
 * end): the head (its Content-Type by the file's extension unless the application set one, its
 * Last-Modified and ETag), then the file (zero-copy unless TLS), then the end. A 200 with a whole
 * file answers a GET's or HEAD's conditions and a GET's byte range ({@link FileConditions}) with a
 * 304, 206 or 416. A file gone since {@code Response.file} is answered 404, as a missing one is there.
 */
record FileBody(HttpResponse head, Path path, long offset, long length) {

    /**
     * Writes all three parts; the returned future completes when the end was written.
     *
     * @param request the request answered, or null
     */
    ChannelFuture writeTo(Channel channel, Request request) {
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
            long size = file.length();
            long start = Math.min(offset, size);
            long count = length < 0 ? size - start : Math.min(length, size - start);
            if (!head.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
                head.headers().set(HttpHeaderNames.CONTENT_TYPE, MediaTypes.of(path));
            }
            long modified = Files.getLastModifiedTime(path).toMillis() / 1000;
            if (!head.headers().contains(HttpHeaderNames.LAST_MODIFIED)) {
                head.headers().set(HttpHeaderNames.LAST_MODIFIED, HttpDate.format(modified));
            }
            boolean whole = offset == 0 && length < 0 && head.status().code() == 200 && request != null;
            boolean get = whole && request.method().equals("GET");
            if (whole && (get || request.method().equals("HEAD"))) {
                if (!head.headers().contains(HttpHeaderNames.ETAG)) {
                    head.headers().set(HttpHeaderNames.ETAG, FileConditions.etag(modified, size));
                }
                String etag = head.headers().get(HttpHeaderNames.ETAG);
                if (FileConditions.notModified(request, etag, modified)) {
                    return headOnly(channel, file, HttpResponseStatus.NOT_MODIFIED, null);
                }
                head.headers().set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
                FileConditions.Part part = get ? FileConditions.range(request, size, etag, head.headers().get(HttpHeaderNames.LAST_MODIFIED)) : null;
                if (part == FileConditions.UNSATISFIABLE) {
                    return headOnly(channel, file, HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "bytes */" + size);
                }
                if (part != null) {
                    head.setStatus(HttpResponseStatus.PARTIAL_CONTENT);
                    head.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes " + part.start() + "-" + (part.start() + part.count() - 1) + "/" + size);
                    start = part.start();
                    count = part.count();
                }
            }
            HttpUtil.setContentLength(head, count);
            channel.write(head);
            if (request != null && request.method().equals("HEAD")) { // its length, not its bytes: under TLS they were read to be dropped
                close(file);
                return channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            }
            if (channel.pipeline().get(SslHandler.class) == null) {
                channel.write(new DefaultFileRegion(file.getChannel(), start, count));
            } else {
                channel.write(new ChunkedFile(file, start, count, 64 * 1024));
            }
            return channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        } catch (IOException e) {
            close(file);
            throw new UncheckedIOException("cannot send " + path + ": " + e.getMessage(), e);
        }
    }

    /** A 304 or 416: the head without the file (and without a type for a body it does not have). */
    private ChannelFuture headOnly(Channel channel, RandomAccessFile file, HttpResponseStatus status, String contentRange) {
        close(file);
        head.setStatus(status);
        head.headers().remove(HttpHeaderNames.CONTENT_TYPE);
        if (contentRange != null) {
            head.headers().set(HttpHeaderNames.CONTENT_RANGE, contentRange);
            HttpUtil.setContentLength(head, 0);
        }
        channel.write(head);
        return channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    private static void close(RandomAccessFile file) {
        try {
            file.close();
        } catch (IOException ignored) {
            // nothing was sent from it
        }
    }
}
