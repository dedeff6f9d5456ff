package dev.drover.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * Counts a connection's raw bytes in and out, at the head of its pipeline, for {@code connections},
 * and flushes its writes as {@link Flushes} does: one handler where there were two, so that a
 * request passes one object fewer on its way in and its answer on its way out (at 1,000
 * connections, a cache miss each). Written on the event loop, read by the control thread: stored
 * lazily (a release), not as a volatile write, which would fence the loop at every read and write.
 */
final class Traffic extends Flushes {
    private static final AtomicLongFieldUpdater<Traffic> BYTES_READ = AtomicLongFieldUpdater.newUpdater(Traffic.class, "bytesRead");
    private static final AtomicLongFieldUpdater<Traffic> BYTES_WRITTEN = AtomicLongFieldUpdater.newUpdater(Traffic.class, "bytesWritten");

    private volatile long bytesRead;
    private volatile long bytesWritten;

    Traffic(FlushBatch batch) {
        super(batch);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        BYTES_READ.lazySet(this, bytesRead + size(message));
        super.channelRead(ctx, message);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
        BYTES_WRITTEN.lazySet(this, bytesWritten + size(message));
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
