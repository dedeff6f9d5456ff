package dev.drover.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * Counts a connection's raw bytes in and out, at the head of its pipeline, for {@code connections},
 * and flushes its writes as {@link Flushes} does: one handler where there were two, so that a
 * request passes one object fewer on its way in and its answer on its way out (at 1,000
 * connections, a cache miss each). Written on the event loop, read by the control thread: stored
 * lazily (a release), not as a volatile write, which would fence the loop at every read and write.
 * A codec whose handler can stand here (one object and one hop fewer again) extends it:
 * {@link Codec#traffic}.
 */
class Traffic extends Flushes {
    private static final AtomicLongFieldUpdater<Traffic> BYTES_READ = AtomicLongFieldUpdater.newUpdater(Traffic.class, "bytesRead");
    private static final AtomicLongFieldUpdater<Traffic> BYTES_WRITTEN = AtomicLongFieldUpdater.newUpdater(Traffic.class, "bytesWritten");

    private volatile long bytesRead;
    private volatile long bytesWritten;
    /** The connection reads nothing for now ({@link #hold}). */
    private boolean holding;

    Traffic(FlushBatch batch) {
        super(batch);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
        BYTES_READ.lazySet(this, bytesRead + size(message));
        super.channelRead(ctx, message);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) throws Exception {
        ctx.write(written(message), promise);
    }

    /** Counts {@code message} as written; for a subclass, what its encoder sends to the next handler. */
    final Object written(Object message) {
        BYTES_WRITTEN.lazySet(this, bytesWritten + size(message));
        return message;
    }

    private static long size(Object message) {
        if (message instanceof ByteBuf buffer) {
            return buffer.readableBytes();
        }
        if (message instanceof FileRegion file) {
            return file.count() - file.transferred(); // a file sent as it is, from the page cache (FileBody)
        }
        return message instanceof ByteBufHolder holder ? holder.content().readableBytes() : 0;
    }

    long bytesRead() {
        return bytesRead;
    }

    /**
     * While {@code holding} (receiving paused, or a pipelined request waiting for the answer
     * before it), a handler's own read for the rest of a message (an aggregator's, a decoder's,
     * which read on with auto-read off) waits too: what the client sends waits in the kernel. A
     * decoder on this handler's own context ({@link HttpServerSide}'s) reads past it, and then
     * only to finish a request a read the kernel forced (a peer's half close) began.
     */
    void hold(boolean holding) {
        this.holding = holding;
    }

    @Override
    public void read(ChannelHandlerContext ctx) throws Exception {
        if (!holding) {
            ctx.read();
        }
    }

    long bytesWritten() {
        return bytesWritten;
    }

    /**
     * Bytes read that make no whole request yet: {@code connections}' Recv-Q, as Workerman's is its
     * receive buffer. A reader that holds them says so; this one holds none.
     */
    long held() {
        return 0;
    }
}
