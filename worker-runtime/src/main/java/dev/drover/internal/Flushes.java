package dev.drover.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Flushes a connection's writes once per read batch, as Netty's {@code FlushConsolidationHandler}
 * does: during a read, flushes wait for {@code channelReadComplete}; outside one (a write to
 * another connection than the one being read: a push, a broadcast, a timer) the connection joins
 * its loop's {@link FlushBatch}, which flushes every connection written to in one task, where
 * Netty's handler submitted a task (and a future) of its own for each. At most
 * {@link #MAX_PENDING} flushes wait; a connection turning unwritable, closing or failing flushes
 * at once. Workers install it as {@link Traffic}, which counts the bytes too (as
 * {@link HttpServerSide} on an {@code http://} connection, which also reads its requests and writes
 * its answers).
 */
class Flushes extends ForwardingDuplex {
    /** Flushes that may wait before one goes through anyway. */
    static final int MAX_PENDING = 256;

    private final FlushBatch batch;
    private ChannelHandlerContext ctx;
    private int pending;
    private boolean reading;
    private boolean batched;

    Flushes(FlushBatch batch) {
        this.batch = batch;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (++pending == MAX_PENDING) {
            flushNow();
        } else if (!reading && !batched) {
            batched = true;
            batch.add(this);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
        reading = true;
        passRead(ctx, message);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        endReadAndFlush();
        passReadComplete(ctx);
    }

    /** What was read goes on: to the next handler, or through a subclass's own decoder ({@link HttpServerSide}). */
    void passRead(ChannelHandlerContext ctx, Object message) throws Exception {
        ctx.fireChannelRead(message);
    }

    void passReadComplete(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        endReadAndFlush();
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        endReadAndFlush();
        ctx.disconnect(promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        endReadAndFlush();
        ctx.close(promise);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable() && pending > 0) {
            flushNow(); // what waits is memory held: let it go out
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        if (pending > 0) {
            flushNow();
        }
    }

    /** The loop's batch reached this connection. A read in progress flushes at its end instead. */
    void batchFlush() {
        batched = false;
        if (pending > 0 && !reading) {
            flushNow();
        }
    }

    private void endReadAndFlush() {
        reading = false;
        if (pending > 0) {
            flushNow();
        }
    }

    private void flushNow() {
        pending = 0;
        ctx.flush();
    }
}
