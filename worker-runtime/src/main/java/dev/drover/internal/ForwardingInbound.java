package dev.drover.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Netty's inbound adapter with every event declared, passing it on, for drover's handlers to
 * override what they handle. A pipeline looks for {@code @Skip} on each event method of a handler
 * through reflection (and for {@code @Sharable} on an adapter's class), and the JDK makes the first
 * annotations it reads into proxy classes: two dynamic modules and four classes, ~20 ms of a new
 * worker's start or of its first connection. The adapter's own methods carry {@code @Skip}; these
 * carry nothing, so nothing is read, and each event this handler passes on visits it on the way.
 * It stays an adapter because Netty calls an adapter's methods through a class type rather than an
 * interface: through the interface, a worker allocated 24 bytes more per HTTP request (406 against
 * 382, {@code jstat}, side by side), which C2 had kept off the heap.
 */
class ForwardingInbound extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelRegistered();
    }

    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelUnregistered();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
        ctx.fireChannelRead(message);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    @SuppressWarnings("deprecation") // ChannelHandler's is deprecated, ChannelInboundHandler's is not
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        ctx.fireExceptionCaught(cause);
    }
}
