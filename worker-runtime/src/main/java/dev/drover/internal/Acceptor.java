package dev.drover.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A listening channel's handler: gives each accepted connection its handlers, then registers it
 * with the loop. It does for drover's servers what Netty's {@code ServerBootstrap} does, without
 * its two handlers, which are Netty adapters whose annotations cost a new worker's start ~20 ms
 * (see {@link ForwardingInbound}), and without Netty's opt-in {@code ChannelInitializerExtension}s.
 */
final class Acceptor extends ForwardingInbound {
    /** How long a listener stops accepting after an accept failed (out of descriptors, say): Netty's own pause. */
    private static final long PAUSE_SECONDS = 1;

    private final EventLoopGroup loop;
    private final Consumer<Channel> install;

    /** @param install puts an accepted connection's handlers in its pipeline, before it is registered */
    private Acceptor(EventLoopGroup loop, Consumer<Channel> install) {
        this.loop = loop;
        this.install = install;
    }

    /** Registers {@code server} with {@code loop}, accepting {@link AcceptBatch#SIZE} connections per wake-up at most. */
    static ChannelFuture register(ServerChannel server, EventLoopGroup loop, Consumer<Channel> install) {
        server.config().setOption(ChannelOption.RCVBUF_ALLOCATOR, AcceptBatch.allocator());
        server.pipeline().addLast(new Acceptor(loop, install));
        ChannelFuture registered = loop.register(server);
        registered.addListener(done -> {
            if (!done.isSuccess()) {
                server.unsafe().closeForcibly();
            }
        });
        return registered;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        Channel child = (Channel) message;
        try {
            install.accept(child);
            loop.register(child).addListener(done -> {
                if (!done.isSuccess()) {
                    child.unsafe().closeForcibly();
                }
            });
        } catch (RuntimeException e) {
            child.unsafe().closeForcibly();
            ctx.fireExceptionCaught(e);
        }
    }

    /** An accept failed: stop accepting for a second, so the loop does not spin on it, and let the pipeline log it. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ChannelConfig config = ctx.channel().config();
        if (config.isAutoRead()) {
            config.setAutoRead(false);
            ctx.channel().eventLoop().schedule(() -> config.setAutoRead(true), PAUSE_SECONDS, TimeUnit.SECONDS);
        }
        ctx.fireExceptionCaught(cause);
    }
}
