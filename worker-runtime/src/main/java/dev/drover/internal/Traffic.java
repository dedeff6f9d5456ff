package dev.drover.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts a connection's raw bytes in and out, at the head of its pipeline, for {@code connections}.
 * Written on the event loop, read by the control thread.
 */
final class Traffic extends ChannelDuplexHandler {
    private volatile long bytesRead;
    private volatile long bytesWritten;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        bytesRead += size(message);
        ctx.fireChannelRead(message);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
        bytesWritten += size(message);
        ctx.write(message, promise);
    }

    private static long size(Object message) {
        if (message instanceof ByteBuf buffer) {
            return buffer.readableBytes();
        }
        return message instanceof ByteBufHolder holder ? holder.content().readableBytes() : 0;
    }

    long bytesRead() {
        return bytesRead;
    }

    long bytesWritten() {
        return bytesWritten;
    }
}
